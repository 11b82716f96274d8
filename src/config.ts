// Configuration is read from the environment once, at start-up, and validated whole: one
// ConfigError lists every bad value, so an operator fixes them in one go (API.md: "a bad value
// stops start-up with a message naming it"). The defaults live here and in API.md only.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { RateLimitPolicy, WindowLimit } from './auth/rate-limit.ts';
import { productionProblems } from './production-settings.ts';

export interface Config {
  /** HTTP port; 0 picks a free one. Default 4000. */
  readonly port: number;
  /** Interface to bind. Default 0.0.0.0. */
  readonly host: string;
  /** `file:` path (SQLite) or `postgresql://` URL. Default file:./data/auth.db. */
  readonly databaseUrl: string;
  /** PostgreSQL: connections this process opens at most. Default 10. */
  readonly databasePoolSize: number;
  /** PostgreSQL: seconds a query waits for a connection before failing. Default 5. */
  readonly databaseConnectTimeoutSeconds: number;
  /** PostgreSQL: seconds after which the server cancels a statement. Default 10. */
  readonly databaseStatementTimeoutSeconds: number;
  /** `smtp://host:port` or `smtps://`; null writes mail to the log instead. Default null. In production: smtps:, or smtp: with `?requireTLS=true`. */
  readonly smtpUrl: string | null;
  /** Sender address of every mail. Default no-reply@localhost. */
  readonly mailFrom: string;
  /** Base of the link mailed for a reset; `?token=…` is appended. Default http://localhost:<PORT>/reset-password (the service's own page); https: required in production. */
  readonly passwordResetUrl: string;
  /** NODE_ENV=production: Secure cookies, mail links redacted from the log. */
  readonly isProduction: boolean;
  /** Absolute session lifetime, seconds. Default 2592000 (30 days). */
  readonly sessionMaxAgeSeconds: number;
  /** A session unused this long ends, seconds. Default 604800 (7 days). */
  readonly sessionIdleTimeoutSeconds: number;
  /** lastSeenAt is written at most once per this many seconds per session. Default 60. */
  readonly sessionTouchIntervalSeconds: number;
  /** Live sessions a user may hold; a login beyond it ends the oldest. Default 50. */
  readonly maxSessionsPerUser: number;
  /** Lifetime of a password-reset token, seconds. Default 1800 (30 minutes). */
  readonly resetTokenTtlSeconds: number;
  /** Lifetime of a device cookie (a browser the owner logged in from), seconds. Default 15552000 (180 days). */
  readonly deviceCookieMaxAgeSeconds: number;
  /** Seconds between housekeeping runs (expired rows swept in batches); the first comes one interval after start-up. Default 3600. */
  readonly housekeepingIntervalSeconds: number;
  /** bcrypt work factor, 4..31; refused below 10 in production. Default 12. */
  readonly bcryptCost: number;
  /** bcrypt operations at once. Default: cores - 1, at least 1 (leaves the event loop a core). */
  readonly bcryptConcurrency: number;
  /** A hash that could not finish within this many ms is refused (RATE_LIMITED). Default 2000. */
  readonly bcryptMaxQueueMs: number;
  /** Reverse proxies to trust for X-Forwarded-For. Default 0 (use the socket address). */
  readonly trustProxy: number;
  /** Origins allowed to call with credentials. Default none. */
  readonly corsOrigins: readonly string[];
  /** Attempt limits per operation; see SECURITY.md for the reasoning behind each default. */
  readonly rateLimits: RateLimitPolicy;
  /** What one GraphQL request may carry; see SECURITY.md. */
  readonly requestLimits: RequestLimits;
  /** Introspection and "did you mean" suggestions. Default: on, off in production. */
  readonly introspection: boolean;
  /** GraphiQL at GET /graphql. Default: on, off in production. */
  readonly graphiql: boolean;
  /** pino level. Default info. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export interface RequestLimits {
  /** Nesting depth of selections. Default 8. */
  maxDepth: number;
  /** Aliases per document. Default 10. */
  maxAliases: number;
  /** Lexical tokens per document. Default 1000. */
  maxTokens: number;
  /** Directives per document. Default 10. */
  maxDirectives: number;
  /** Request body, bytes. Default 102400. */
  maxBodyBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The service's own page on a developer's machine, on the port it listens on, so the link of a
 * fresh `npm start` on any port works; production must name its https page.
 */
function defaultPasswordResetUrl(port: string | number): string {
  return `http://localhost:${String(port).trim()}/reset-password`;
}

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((value, ctx) => {
      const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const url = (protocols: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** "points/seconds", e.g. 10/3600: ten attempts per hour. */
const windowLimit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx): WindowLimit => {
      const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
      const points = Number(match?.[1]);
      const durationSeconds = Number(match?.[2]);
      if (!match || points < 1 || durationSeconds < 1 || points > 1e9 || durationSeconds > 31 * 86400) {
        ctx.addIssue({ code: 'custom', message: 'must be attempts/seconds, like 10/3600' });
        return z.NEVER;
      }
      return { points, durationSeconds };
    });

const flag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1')
  .optional();

const databaseUrl = z
  .string()
  .default('file:./data/auth.db')
  .refine((value) => /^file:.+/.test(value) || isPostgresqlUrl(value), {
    message: 'must be file:<path> (SQLite) or postgresql://user@host/database (PostgreSQL)',
  });

function isPostgresqlUrl(value: string): boolean {
  try {
    const parsed = new URL(value);
    return (parsed.protocol === 'postgresql:' || parsed.protocol === 'postgres:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

const emailAddress = z
  .string()
  .default('no-reply@localhost')
  .refine((value) => /^[^\s@<>]+@[^\s@<>]+$/.test(value), { message: 'must be an email address' });

const envSchema = z.object({
  PORT: integer(0, 65535, 4000), // 0: any free port (tests)
  HOST: z.string().min(1, 'must not be empty').default('0.0.0.0'),
  DATABASE_URL: databaseUrl,
  // Instances × pool size must stay under the server's max_connections (README).
  DATABASE_POOL_SIZE: integer(1, 1000, 10),
  DATABASE_CONNECT_TIMEOUT_SECONDS: integer(1, 300, 5),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: integer(1, 3600, 10),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: emailAddress,
  PASSWORD_RESET_URL: url(['http:', 'https:']).optional(), // default: defaultPasswordResetUrl(PORT)
  NODE_ENV: z.string().optional(),
  SESSION_MAX_AGE_SECONDS: integer(60, 10 * 365 * 86400, 2592000),
  SESSION_IDLE_TIMEOUT_SECONDS: integer(60, 10 * 365 * 86400, 604800),
  SESSION_TOUCH_INTERVAL_SECONDS: integer(1, 86400, 60),
  MAX_SESSIONS_PER_USER: integer(1, 10000, 50),
  RESET_TOKEN_TTL_SECONDS: integer(60, 7 * 86400, 1800),
  DEVICE_COOKIE_MAX_AGE_SECONDS: integer(3600, 400 * 86400, 180 * 86400),
  HOUSEKEEPING_INTERVAL_SECONDS: integer(1, 7 * 86400, 3600),
  BCRYPT_COST: integer(4, 31, 12),
  BCRYPT_CONCURRENCY: integer(1, 256, Math.max(1, availableParallelism() - 1)),
  BCRYPT_MAX_QUEUE_MS: integer(100, 60_000, 2000),
  TRUST_PROXY: integer(0, 32, 0),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const origins = splitList(value).map((origin) => origin.replace(/\/$/, ''));
      for (const origin of origins.filter((o) => !isOrigin(o))) {
        ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://app.example.com` });
      }
      return origins;
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RATE_LIMIT_LOGIN_PER_IP: windowLimit('100/900'),
  LOGIN_FREE_ATTEMPTS: integer(1, 1000, 5),
  LOGIN_BACKOFF_BASE_SECONDS: integer(1, 86400, 60),
  LOGIN_BACKOFF_MAX_SECONDS: integer(1, 86400, 900),
  RATE_LIMIT_REGISTER_PER_IP: windowLimit('10/3600'),
  RATE_LIMIT_RESET_REQUEST_PER_IP: windowLimit('10/3600'),
  RATE_LIMIT_RESET_REQUEST_PER_EMAIL: windowLimit('3/3600'),
  RATE_LIMIT_RESET_PER_IP: windowLimit('10/900'),
  RATE_LIMIT_RESET_PER_ACCOUNT: windowLimit('5/3600'),
  RATE_LIMIT_CHANGE_PASSWORD_PER_IP: windowLimit('10/900'),
  RATE_LIMIT_CHANGE_PASSWORD_PER_ACCOUNT: windowLimit('5/900'),
  GRAPHQL_MAX_DEPTH: integer(1, 100, 8),
  GRAPHQL_MAX_ALIASES: integer(0, 1000, 10),
  GRAPHQL_MAX_TOKENS: integer(50, 100000, 1000),
  GRAPHQL_MAX_DIRECTIVES: integer(0, 1000, 10),
  MAX_BODY_BYTES: integer(1024, 10 * 1024 * 1024, 102400),
  GRAPHQL_INTROSPECTION: flag,
  GRAPHIQL: flag,
});

/** Rules between variables; checked on the raw values so they are reported with all others. */
function crossFieldProblems(env: Record<string, string>): string[] {
  return productionProblems({
    isProduction: env.NODE_ENV === 'production',
    bcryptCost: env.BCRYPT_COST,
    passwordResetUrl: env.PASSWORD_RESET_URL ?? defaultPasswordResetUrl(env.PORT ?? 4000),
    smtpUrl: env.SMTP_URL,
  });
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** An origin is scheme://host[:port] and nothing else; `*` is refused: no wildcard with credentials. */
function isOrigin(value: string): boolean {
  try {
    const parsed = new URL(value);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === value;
  } catch {
    return false;
  }
}

/** Empty strings count as unset, as a shell `FOO= npm start` means "no value". */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const raw = withoutEmpty(env);
  const parsed = envSchema.safeParse(raw);
  // Values are not echoed: DATABASE_URL and SMTP_URL may carry credentials.
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...crossFieldProblems(raw),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseConnectTimeoutSeconds: e.DATABASE_CONNECT_TIMEOUT_SECONDS,
    databaseStatementTimeoutSeconds: e.DATABASE_STATEMENT_TIMEOUT_SECONDS,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    passwordResetUrl: e.PASSWORD_RESET_URL ?? defaultPasswordResetUrl(e.PORT),
    isProduction: e.NODE_ENV === 'production',
    sessionMaxAgeSeconds: e.SESSION_MAX_AGE_SECONDS,
    sessionIdleTimeoutSeconds: e.SESSION_IDLE_TIMEOUT_SECONDS,
    sessionTouchIntervalSeconds: e.SESSION_TOUCH_INTERVAL_SECONDS,
    maxSessionsPerUser: e.MAX_SESSIONS_PER_USER,
    resetTokenTtlSeconds: e.RESET_TOKEN_TTL_SECONDS,
    deviceCookieMaxAgeSeconds: e.DEVICE_COOKIE_MAX_AGE_SECONDS,
    housekeepingIntervalSeconds: e.HOUSEKEEPING_INTERVAL_SECONDS,
    bcryptCost: e.BCRYPT_COST,
    bcryptConcurrency: e.BCRYPT_CONCURRENCY,
    bcryptMaxQueueMs: e.BCRYPT_MAX_QUEUE_MS,
    trustProxy: e.TRUST_PROXY,
    corsOrigins: Object.freeze(e.CORS_ORIGINS),
    rateLimits: Object.freeze({
      loginPerIp: e.RATE_LIMIT_LOGIN_PER_IP,
      loginPerAccount: {
        freeAttempts: e.LOGIN_FREE_ATTEMPTS,
        baseSeconds: e.LOGIN_BACKOFF_BASE_SECONDS,
        maxSeconds: Math.max(e.LOGIN_BACKOFF_BASE_SECONDS, e.LOGIN_BACKOFF_MAX_SECONDS),
      },
      registerPerIp: e.RATE_LIMIT_REGISTER_PER_IP,
      resetRequestPerIp: e.RATE_LIMIT_RESET_REQUEST_PER_IP,
      resetRequestPerEmail: e.RATE_LIMIT_RESET_REQUEST_PER_EMAIL,
      resetPerIp: e.RATE_LIMIT_RESET_PER_IP,
      resetPerAccount: e.RATE_LIMIT_RESET_PER_ACCOUNT,
      changePasswordPerIp: e.RATE_LIMIT_CHANGE_PASSWORD_PER_IP,
      changePasswordPerAccount: e.RATE_LIMIT_CHANGE_PASSWORD_PER_ACCOUNT,
    }),
    requestLimits: Object.freeze({
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
      maxBodyBytes: e.MAX_BODY_BYTES,
    }),
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    logLevel: e.LOG_LEVEL,
  });
}
