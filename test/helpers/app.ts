// createTestApp(): the test fixture. The real app (schema, service, Prisma, the project's
// database) behind yoga.fetch, with a clock the test moves, agents that keep cookies the way a
// browser does, and the steps most tests begin with: a signed-in user (`signedIn`), the mail an
// address received (`mailTo`) and the error envelope of a result (`errorOf`).
import { onTestFinished } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { AuthHooks } from '../../src/auth/service.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type DatabaseOptions } from '../../src/db/client.ts';
import { createLogMailer, createSmtpMailer } from '../../src/mail/mailer.ts';
import type { Metrics } from '../../src/metrics/metrics.ts';
import { createAgent, type Agent } from './agent.ts';
import { TestClock } from './clock.ts';
import { freshDatabaseUrl } from './db.ts';
import { errorOf } from './errors.ts';
import { captureLogs } from './logs.ts';
import { Login, Register, ada } from './operations.ts';
import { RESET_MAIL, startSmtpServer, VERIFICATION_MAIL, type ReceivedMail, type SmtpServer } from './smtp.ts';

export { createAgent, type Agent, type GqlResult } from './agent.ts';
export { codeOf, errorOf, type ErrorEnvelope, type HasErrors } from './errors.ts';

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * Requests through yoga.fetch have no socket, so they all share one client-IP bucket; the
 * per-IP limits are raised for tests that are not about them (test/security/ sets its own).
 */
export const roomyIpLimits = {
  RATE_LIMIT_LOGIN_PER_IP: '10000/60',
  RATE_LIMIT_REGISTER_PER_IP: '10000/60',
  RATE_LIMIT_RESET_REQUEST_PER_IP: '10000/60',
  RATE_LIMIT_RESET_PER_IP: '10000/60',
  RATE_LIMIT_CHANGE_PASSWORD_PER_IP: '10000/60',
  RATE_LIMIT_VERIFICATION_REQUEST_PER_IP: '10000/60',
  RATE_LIMIT_VERIFY_EMAIL_PER_IP: '10000/60',
  RATE_LIMIT_ACCOUNT_CHANGE_PER_IP: '10000/60',
  RATE_LIMIT_PASSKEY_OPTIONS_PER_IP: '10000/60',
  RATE_LIMIT_PASSKEY_LOGIN_PER_IP: '10000/60',
  RATE_LIMIT_VERIFY_MFA_PER_IP: '10000/60',
};

export interface TestAppOptions {
  /** Keep the service's own per-IP limits instead of `roomyIpLimits`. */
  defaultLimits?: boolean;
  hooks?: AuthHooks;
  /** Sees every statement Prisma sends (test/helpers/query-log.ts counts them). */
  onQuery?: DatabaseOptions['onQuery'];
  /** Deliver mail to a real SMTP server in the test (read it with `mailTo`); otherwise mail goes to the log. */
  smtp?: boolean;
  /** Count into these metrics (src/metrics/metrics.ts createMetrics), as with METRICS_PORT. */
  metrics?: Metrics;
}

export interface SignInOptions {
  /** Default: `ada` of operations.ts. */
  email?: string;
  password?: string;
  userAgent?: string;
  /** The address the agent comes from (read only with TRUST_PROXY=1). */
  ip?: string;
}

export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}) {
  const smtp: SmtpServer | null = options.smtp ? await startSmtpServer() : null;
  const limits = options.defaultLimits ? {} : roomyIpLimits;
  const config = loadConfig({
    DATABASE_URL: env.DATABASE_URL ?? (await freshDatabaseUrl()),
    BCRYPT_COST: '4',
    ...limits,
    ...(smtp === null ? {} : { SMTP_URL: smtp.url }),
    ...env,
  });
  const logs = captureLogs();
  const clock = new TestClock();
  const database = openDatabase(config, { onQuery: options.onQuery });
  const { prisma } = database;
  const mailer = config.smtpUrl
    ? createSmtpMailer(config.smtpUrl, config.mailFrom)
    : createLogMailer(logs.log, { redactBody: config.isProduction });
  const app = createApp({ config, database, mailer, clock, log: logs.log, hooks: options.hooks, metrics: options.metrics });
  onTestFinished(async () => {
    await app.background.drain();
    await database.close();
    mailer.close();
  });

  /** A client with its own cookie jar (and, with TRUST_PROXY=1, its own address). */
  const agent = (userAgent = 'vitest-agent', ip: string | null = null): Agent => createAgent(app.yoga, userAgent, ip);

  /**
   * A new agent signed in through the API as `email` (default ada), registering the account
   * first unless it exists. Throws with the error envelope if either step is refused, so a test
   * never goes on without the session it asked for.
   */
  async function signedIn(options: SignInOptions = {}) {
    const credentials = { email: options.email ?? ada.email, password: options.password ?? ada.password };
    const browser = agent(options.userAgent, options.ip ?? null);
    const registered = await browser.gql(Register, credentials);
    const refusal = errorOf(registered);
    if (refusal !== null && refusal.code !== 'EMAIL_TAKEN') throw new Error(`signedIn: register refused: ${JSON.stringify(refusal)}`);
    const login = await browser.gql(Login, credentials);
    if (!login.data?.login || browser.cookie === null) throw new Error(`signedIn: login refused: ${JSON.stringify(errorOf(login))}`);
    return Object.assign(browser, { user: login.data.login });
  }

  /**
   * The next mail to `email` that the test has not read yet, of the subject `subject` when given
   * (needs `{ smtp: true }`). register mails a verification link, so a test after a reset mail
   * names its subject (resetMailTo).
   */
  function mailTo(email: string, subject?: RegExp): Promise<ReceivedMail> {
    return mailbox().nextMailTo(email, subject);
  }

  /** The SMTP server behind `mailTo`: every mail it received, or close it to make delivery fail. */
  function mailbox(): SmtpServer {
    if (smtp === null) throw new Error('this app sends no mail to a server: create it with createTestApp(env, { smtp: true })');
    return smtp;
  }

  const main = agent();
  return {
    ...app,
    config,
    database,
    prisma,
    clock,
    logs,
    agent,
    main,
    gql: main.gql,
    signedIn,
    mailTo,
    /** The next password-reset mail to `email`. */
    resetMailTo: (email: string) => mailTo(email, RESET_MAIL),
    /** The next verification mail to `email` (after register, a request, or a changeEmail). */
    verificationMailTo: (email: string) => mailTo(email, VERIFICATION_MAIL),
    errorOf,
    mailbox,
  };
}

export type SignedInAgent = Awaited<ReturnType<TestApp['signedIn']>>;
