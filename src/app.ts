// createApp(deps): the GraphQL service as a fetch handler (yoga), built from what it is given.
// It never listens and reads no environment, so tests can build as many as they like.
import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useCookies } from '@whatwg-node/server-plugin-cookies';
import { AuditLog } from './auth/audit.ts';
import { AuthError } from './auth/errors.ts';
import { HashingQueue } from './auth/hashing-queue.ts';
import { PasswordHasher } from './auth/passwords.ts';
import { RateLimits } from './auth/rate-limit.ts';
import { PrismaRateLimitStore } from './auth/rate-limit-repository.ts';
import { AuthRepository } from './auth/repository.ts';
import { MAX_TRUSTED_DEVICES_PER_USER } from './auth/trusted-devices.ts';
import { AccountRepository } from './auth/account-repository.ts';
import { AccountService } from './auth/account-service.ts';
import { AdminRepository } from './auth/admin-repository.ts';
import { AdminService } from './auth/admin-service.ts';
import { CredentialCheck } from './auth/credentials.ts';
import { PasswordService } from './auth/password-service.ts';
import { CodeLock } from './auth/mfa/code-lock.ts';
import { MfaRepository } from './auth/mfa/mfa-repository.ts';
import { MfaService } from './auth/mfa/mfa-service.ts';
import { SecretBox } from './auth/mfa/secret-box.ts';
import { PasskeyRepository } from './auth/passkeys/repository.ts';
import { PasskeyService } from './auth/passkeys/service.ts';
import { AuthService, type AuthHooks, type AuthServiceDeps } from './auth/service.ts';
import { BackgroundTasks } from './background.ts';
import { Housekeeping } from './housekeeping/housekeeping.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createContextFactory, type Context, type Services } from './context.ts';
import { isDatabaseReachable, type Database } from './db/client.ts';
import type { ServerContext } from './http/client-info.ts';
import { AfterResponseTasks, useAfterResponse } from './http/after-response.ts';
import { useCrossSiteMutationGuard } from './http/cross-site.ts';
import { requestLimitPlugins } from './http/graphql-limits.ts';
import { renderLocalGraphiQL } from './http/graphiql.ts';
import { useReadiness } from './http/health.ts';
import { useInputRules } from './http/input-rules.ts';
import { useOneCredentialField } from './http/one-credential-field.ts';
import { usePages } from './http/pages.ts';
import { useRefusalStatus } from './http/refusal-status.ts';
import { useSecurityHeaders } from './http/security-headers.ts';
import { useStrictRequests } from './http/strict-request.ts';
import { createErrorLogging } from './http/yoga-logging.ts';
import type { Logger } from './logger.ts';
import { observeMailer, type Mailer } from './mail/mailer.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { Tracing } from './tracing/tracing.ts';
import { schema } from './schema/index.ts';
import { locatedLike, toGraphQLError } from './schema/errors.ts';
import { graphiqlExamples } from './http/graphiql-examples.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  mailer: Mailer;
  clock: Clock;
  log: Logger;
  /**
   * False while the database still lacks its migrations (PostgreSQL coming up, see
   * db/migrate/migrate-on-start.ts): GraphQL requests then fail at once and /ready answers 503.
   * Default: always migrated, as when the caller migrated before creating the app.
   */
  isDatabaseMigrated?: () => boolean;
  /** Test hooks only (auth/service.ts, AuthHooks). */
  hooks?: AuthHooks;
  /**
   * Seals TOTP secrets when config.mfaEncryptionKey is null (main.ts: the development key file).
   * Neither given: a random key for this app's lifetime, which only tests may use (a restart
   * could no longer read the secrets).
   */
  mfaEncryptionKey?: Buffer;
  /** Prometheus metrics (METRICS_PORT); null or absent: nothing is counted. */
  metrics?: Metrics | null;
  /** OpenTelemetry (OTEL_EXPORTER_OTLP_ENDPOINT); null or absent: no spans. */
  tracing?: Tracing | null;
}

export interface App {
  yoga: YogaServerInstance<ServerContext, Context>;
  auth: AuthService;
  passkeys: PasskeyService;
  background: BackgroundTasks;
  /** Sweeps expired rows; main.ts schedules it (housekeeping/schedule.ts), tests run it. */
  housekeeping: Housekeeping;
}

export function createApp(deps: AppDeps): App {
  const { config, database, clock, log, isDatabaseMigrated = () => true, hooks, metrics = null, tracing = null, mfaEncryptionKey } = deps;
  const { prisma } = database;
  const mailer = metrics === null ? deps.mailer : observeMailer(deps.mailer, metrics.mail);
  const background = new BackgroundTasks(log);
  const audit = new AuditLog(log, metrics?.audit ?? null);
  const rateLimitStore = new PrismaRateLimitStore(prisma);
  const limits = new RateLimits({ store: rateLimitStore, clock, policy: config.rateLimits, audit });
  const hashingQueue = new HashingQueue({
    concurrency: config.bcryptConcurrency,
    maxWaitMs: config.bcryptMaxQueueMs,
    // About what cost 12 takes on one core; the queue times real hashes from the first on.
    initialEstimateMs: 250 * 2 ** (config.bcryptCost - 12),
    observer: metrics?.hashing ?? null,
  });
  metrics?.watchHashingQueue(hashingQueue);
  const passwords = new PasswordHasher(config.bcryptCost, hashingQueue);
  passwords.prepare();
  const repo = new AuthRepository(prisma, database.sessions);
  const credentials = new CredentialCheck({ repo, passwords, limits, clock, audit });
  const serviceDeps: AuthServiceDeps = {
    repo,
    passwords,
    limits,
    mailer,
    clock,
    audit,
    background,
    sessionPolicy: {
      maxAgeMs: config.sessionMaxAgeSeconds * 1000,
      idleTimeoutMs: config.sessionIdleTimeoutSeconds * 1000,
      touchIntervalMs: config.sessionTouchIntervalSeconds * 1000,
      maxPerUser: config.maxSessionsPerUser,
    },
    devicePolicy: { maxAgeMs: config.deviceCookieMaxAgeSeconds * 1000, maxPerUser: MAX_TRUSTED_DEVICES_PER_USER },
    reset: { ttlSeconds: config.resetTokenTtlSeconds, url: config.passwordResetUrl },
    hooks,
  };
  const mfa = new MfaService(serviceDeps, credentials, {
    repo: new MfaRepository(prisma),
    secrets: new SecretBox(config.mfaEncryptionKey ?? mfaEncryptionKey ?? randomBytes(32), config.mfaPreviousEncryptionKeys),
    lock: new CodeLock({ store: rateLimitStore, clock, audit }),
    issuer: config.mfaTotpIssuer,
  });
  const account = new AccountService(
    {
      ...serviceDeps,
      accounts: new AccountRepository(prisma),
      verification: {
        required: config.emailVerification === 'required',
        url: config.emailVerificationUrl,
        ttlSeconds: config.emailVerificationTokenTtlSeconds,
      },
    },
    credentials,
  );
  const auth = new AuthService(
    serviceDeps,
    credentials,
    {
      required: config.emailVerification === 'required',
      mailVerificationLink: (user) => account.mailVerificationLink(user),
    },
    mfa,
  );
  const admin = new AdminService({ ...serviceDeps, admin: new AdminRepository(prisma) });
  const passkeys = new PasskeyService(serviceDeps, new PasskeyRepository(prisma), config.webauthn, auth);
  const services: Services = { auth, password: new PasswordService(serviceDeps, credentials), account, admin, passkeys, mfa };

  const errorLogging = createErrorLogging(log);

  /**
   * Domain errors keep their contract code and are not errors of the service, so they are not
   * logged as such; anything else is logged here, once, and masked.
   */
  function maskError(error: unknown, message: string): Error {
    errorLogging.markHandled(error);
    const cause = rootCause(error);
    if (cause instanceof AuthError) return toGraphQLError(cause, error);
    if (cause instanceof GraphQLError) return cause;
    log.error({ err: cause }, 'unexpected error');
    return locatedLike(error, message, { code: 'INTERNAL_SERVER_ERROR' });
  }

  const afterResponse = new AfterResponseTasks();
  const yoga = createYoga<ServerContext, Context>({
    schema,
    context: createContextFactory({
      services,
      prisma,
      isDatabaseMigrated,
      production: config.isProduction,
      trustProxy: config.trustProxy,
      afterResponse,
    }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    // isDev false: graphql-yoga would otherwise attach stacks and messages in development.
    maskedErrors: { maskError, errorMessage: 'Unexpected error.', isDev: false },
    graphiql: config.graphiql ? { title: 'Auth API', ...graphiqlExamples } : false,
    renderGraphiQL: renderLocalGraphiQL,
    batching: false,
    multipart: false,
    cors: (request) => {
      const origin = request.headers.get('origin');
      // Only listed origins, each echoed alone: never a wildcard with credentials.
      if (origin === null || !config.corsOrigins.includes(origin)) return false;
      return { origin: [origin], credentials: true, methods: ['GET', 'POST'], allowedHeaders: ['content-type'], maxAge: 600 };
    },
    logging: errorLogging.yogaLogger,
    plugins: [
      // First, so that the request duration it measures includes every other plugin's work.
      ...(metrics === null ? [] : [metrics.graphqlPlugin()]),
      ...(tracing === null ? [] : [tracing.graphqlPlugin()]),
      useSecurityHeaders({ production: config.isProduction }),
      useStrictRequests({ maxBodyBytes: config.requestLimits.maxBodyBytes }),
      useCookies(),
      useReadiness(async () => isDatabaseMigrated() && (await isDatabaseReachable(prisma))),
      usePages(),
      ...requestLimitPlugins(config.requestLimits),
      useOneCredentialField(),
      ...(config.introspection ? [] : [useDisableIntrospection(), blockFieldSuggestionsPlugin() as Plugin]),
      useCrossSiteMutationGuard({ allowedOrigins: config.corsOrigins, trustProxy: config.trustProxy }),
      useRefusalStatus(),
      useInputRules(),
      useAfterResponse(afterResponse, background),
    ],
  });

  const housekeeping = new Housekeeping({
    executor: database.sweeps,
    clock,
    log,
    sessionIdleTimeoutMs: config.sessionIdleTimeoutSeconds * 1000,
  });
  return { yoga, auth, passkeys, background, housekeeping };
}

/** graphql-js and yoga may each wrap a resolver's error in a GraphQLError; find the thrown one. */
function rootCause(error: unknown): unknown {
  let cause = error;
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
  return cause;
}
