// createTestApp(): the real app (schema, service, Prisma, the project's database) behind yoga.fetch, with
// a clock the test moves and agents that keep cookies the way a browser does.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { onTestFinished } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { AuthHooks } from '../../src/auth/service.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type DatabaseOptions } from '../../src/db/client.ts';
import { createLogMailer, createSmtpMailer } from '../../src/mail/mailer.ts';
import { TestClock } from './clock.ts';
import { freshDatabaseUrl } from './db.ts';
import { captureLogs } from './logs.ts';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> | undefined;
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
export type Agent = ReturnType<TestApp['agent']>;

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
};

export async function createTestApp(env: Record<string, string> = {}, options: { defaultLimits?: boolean; hooks?: AuthHooks; onQuery?: DatabaseOptions['onQuery'] } = {}) {
  const limits = options.defaultLimits ? {} : roomyIpLimits;
  const config = loadConfig({ DATABASE_URL: env.DATABASE_URL ?? (await freshDatabaseUrl()), BCRYPT_COST: '4', ...limits, ...env });
  const logs = captureLogs();
  const clock = new TestClock();
  const database = openDatabase(config, { onQuery: options.onQuery });
  const { prisma } = database;
  const mailer = config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : createLogMailer(logs.log, { redactBody: config.isProduction });
  const app = createApp({ config, database, mailer, clock, log: logs.log, hooks: options.hooks });
  onTestFinished(async () => {
    await app.background.drain();
    await database.close();
    mailer.close();
  });

  /**
   * A client with its own cookie jar (and, with TRUST_PROXY=1, its own address). `cookie` is
   * the session cookie's value and `deviceCookie` the device cookie's, whatever their names.
   */
  function agent(userAgent = 'vitest-agent', ip: string | null = null) {
    const jar = new Map<string, string>();
    const nameOf = (kind: 'session' | 'device') => [...jar.keys()].find((name) => name.replace(/^__Host-/, '') === kind) ?? kind;
    const setOrDelete = (name: string, value: string | null) => (value === null ? jar.delete(name) : jar.set(name, value));
    return {
      get cookie() {
        return jar.get(nameOf('session')) ?? null;
      },
      set cookie(value: string | null) {
        setOrDelete(nameOf('session'), value);
      },
      get deviceCookie() {
        return jar.get(nameOf('device')) ?? null;
      },
      set deviceCookie(value: string | null) {
        setOrDelete(nameOf('device'), value);
      },
      /** The Set-Cookie headers of the last response. */
      lastSetCookies: [] as string[],
      async gql<T = Record<string, unknown>, V = Record<string, unknown>>(
        document: TypedDocumentNode<T, V> | string,
        variables?: V,
      ): Promise<GqlResult<T>> {
        const query = typeof document === 'string' ? document : print(document);
        const cookieHeader = [...jar].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
        const response = await app.yoga.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': userAgent,
            ...(ip === null ? {} : { 'x-forwarded-for': ip }),
            ...(cookieHeader === '' ? {} : { cookie: cookieHeader }),
          },
          body: JSON.stringify({ query, variables: variables ?? {} }),
        });
        this.lastSetCookies = response.headers.getSetCookie();
        for (const header of this.lastSetCookies) {
          const [pair] = header.split(';');
          const name = pair!.slice(0, pair!.indexOf('='));
          const value = pair!.slice(pair!.indexOf('=') + 1);
          const expired = /Expires=Thu, 01 Jan 1970/i.test(header);
          setOrDelete(name, expired || value === '' ? null : decodeURIComponent(value));
        }
        const body = (await response.json()) as { data?: T | null; errors?: GqlResult['errors'] };
        return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
      },
    };
  }

  const main = agent();
  return { ...app, config, database, prisma, clock, logs, agent, gql: main.gql, main };
}

export function codeOf(result: GqlResult): unknown {
  return result.errors?.[0]?.extensions?.code;
}
