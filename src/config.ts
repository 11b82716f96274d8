// Configuration is read from the environment once, at start-up, and validated whole: one
// ConfigError lists every bad value, so an operator fixes them in one go (API.md: "a bad value
// stops start-up with a message naming it"). The defaults live here and in API.md only.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { RateLimitPolicy, WindowLimit } from './auth/rate-limit.ts';
import { ENCRYPTION_KEY_BYTES } from './auth/mfa/secret-box.ts';
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
  /** `optional`: unverified accounts may log in; `required`: their right password answers EMAIL_NOT_VERIFIED. Default optional. */
  readonly emailVerification: 'optional' | 'required';
  /** Base of the link mailed to prove an address; `?token=…` is appended. Default http://localhost:<PORT>/verify-email (the service's own page); https: required in production. */
  readonly emailVerificationUrl: string;
  /** Lifetime of an email verification token, seconds. Default 86400 (24 hours). */
  readonly emailVerificationTokenTtlSeconds: number;
  /** The WebAuthn relying party passkeys are made for; see WebAuthnSettings. */
  readonly webauthn: WebAuthnSettings;
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
  /** Port of the Prometheus endpoint (GET /metrics), away from the API's; 0 picks a free one. Default null (off). */
  readonly metricsPort: number | null;
  /** OpenTelemetry traces, on when an OTLP endpoint is set (the standard OTEL_* variables). Default null (off). */
  readonly tracing: TracingSettings | null;
  /** MFA_ENCRYPTION_KEY: seals TOTP secrets (auth/mfa/secret-box.ts). Required in production; null in development, where main.ts keeps one in the data directory. */
  readonly mfaEncryptionKey: Buffer | null;
  /** MFA_ENCRYPTION_KEY_PREVIOUS: earlier keys, comma-separated; they still open what they sealed. Default none. */
  readonly mfaPreviousEncryptionKeys: readonly Buffer[];
  /** MFA_TOTP_ISSUER: the name authenticator apps show beside the account. Default Auth API. */
  readonly mfaTotpIssuer: string;
  /** pino level. Default info. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export interface TracingSettings {
  /** Where spans are POSTed: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  readonly tracesUrl: string;
  /** OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL. Default http/protobuf, as the OpenTelemetry specification says. */
  readonly protocol: 'http/protobuf' | 'http/json';
  /** OTEL_SERVICE_NAME. Default auth-api. */
  readonly serviceName: string;
}

export interface WebAuthnSettings {
  /** The domain passkeys are bound to (no scheme, no port). Default localhost; refused in production. */
  readonly rpId: string;
  /** The name an authenticator shows. Default Auth API. */
  readonly rpName: string;
  /** Origins a ceremony may come from, each on the RP ID or a subdomain of it. Default http://localhost:<PORT>. */
  readonly origins: readonly string[];
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

/** Likewise for the verification link: the service's own /verify-email page. */
function defaultEmailVerificationUrl(port: string | number): string {
  return `http://localhost:${String(port).trim()}/verify-email`;
}

/** The service's own origin on a developer's machine, where the /passkeys page runs. */
function defaultWebAuthnOrigins(port: string | number): string {
  return `http://localhost:${String(port).trim()}`;
}

const wholeNumber = (min: number, max: number) =>
  z.string().transform((value, ctx) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });

const integer = (min: number, max: number, fallback: number) => z.string().default(String(fallback)).pipe(wholeNumber(min, max));

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

/** 32 bytes in base64 (`openssl rand -base64 32`); the value is never echoed. */
function parseEncryptionKey(value: string): Buffer | null {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === ENCRYPTION_KEY_BYTES ? key : null;
}

const keyMessage = 'must be 32 random bytes in base64 (openssl rand -base64 32)';

const encryptionKey = z.string().transform((value, ctx) => {
  const key = parseEncryptionKey(value);
  if (key === null) {
    ctx.addIssue({ code: 'custom', message: keyMessage });
    return z.NEVER;
  }
  return key;
});

const encryptionKeyList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const keys = splitList(value).map(parseEncryptionKey);
    if (keys.some((key) => key === null)) {
      ctx.addIssue({ code: 'custom', message: `each comma-separated key ${keyMessage}` });
      return z.NEVER;
    }
    return keys as Buffer[];
  });

const flag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1')
  .optional();

/** grpc would need another exporter and HTTP/2; every collector takes OTLP over HTTP too. */
const otlpProtocol = z
  .enum(['http/protobuf', 'http/json'], { message: 'must be http/protobuf or http/json (grpc is not supported)' })
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
  EMAIL_VERIFICATION: z.enum(['optional', 'required'], { message: 'must be optional or required' }).default('optional'),
  EMAIL_VERIFICATION_URL: url(['http:', 'https:']).optional(), // default: defaultEmailVerificationUrl(PORT)
  EMAIL_VERIFICATION_TOKEN_TTL_SECONDS: integer(300, 30 * 86400, 86400),
  WEBAUTHN_RP_ID: z
    .string()
    .default('localhost')
    .refine((value) => isDomain(value), { message: 'must be a domain name like example.com (no scheme, no port)' }),
  WEBAUTHN_RP_NAME: z.string().max(64, 'must be at most 64 characters').default('Auth API'),
  WEBAUTHN_ORIGINS: z.string().optional(), // default: defaultWebAuthnOrigins(PORT); checked in webAuthnOriginProblems
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
  METRICS_PORT: wholeNumber(0, 65535).optional(), // unset: no metrics
  // The standard OpenTelemetry variables (others, such as OTEL_EXPORTER_OTLP_HEADERS and
  // OTEL_BSP_*, are read by the SDK itself). No endpoint: no tracing.
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http:', 'https:']).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol,
  OTEL_SERVICE_NAME: z.string().trim().min(1, 'must not be empty').default('auth-api'),
  OTEL_SDK_DISABLED: flag,
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
  RATE_LIMIT_VERIFICATION_REQUEST_PER_IP: windowLimit('10/3600'),
  RATE_LIMIT_VERIFICATION_REQUEST_PER_EMAIL: windowLimit('3/3600'),
  RATE_LIMIT_VERIFY_EMAIL_PER_IP: windowLimit('30/900'),
  RATE_LIMIT_ACCOUNT_CHANGE_PER_IP: windowLimit('10/900'),
  RATE_LIMIT_ACCOUNT_CHANGE_PER_ACCOUNT: windowLimit('5/900'),
  RATE_LIMIT_PASSKEY_OPTIONS_PER_IP: windowLimit('100/900'),
  RATE_LIMIT_PASSKEY_LOGIN_PER_IP: windowLimit('100/900'),
  RATE_LIMIT_VERIFY_MFA_PER_IP: windowLimit('50/900'),
  MFA_ENCRYPTION_KEY: encryptionKey.optional(),
  MFA_ENCRYPTION_KEY_PREVIOUS: encryptionKeyList,
  MFA_TOTP_ISSUER: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters').default('Auth API'),
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
  const samePort =
    env.METRICS_PORT !== undefined && env.METRICS_PORT.trim() !== '0' && env.METRICS_PORT.trim() === (env.PORT ?? '4000').trim();
  return [
    ...(samePort ? ['METRICS_PORT: must differ from PORT (metrics are served away from the API)'] : []),
    ...webAuthnOriginProblems(env),
    ...productionProblems({
      isProduction: env.NODE_ENV === 'production',
      bcryptCost: env.BCRYPT_COST,
      passwordResetUrl: env.PASSWORD_RESET_URL ?? defaultPasswordResetUrl(env.PORT ?? 4000),
      emailVerificationUrl: env.EMAIL_VERIFICATION_URL ?? defaultEmailVerificationUrl(env.PORT ?? 4000),
      smtpUrl: env.SMTP_URL,
      webauthn: { rpId: env.WEBAUTHN_RP_ID, rpName: env.WEBAUTHN_RP_NAME, origins: env.WEBAUTHN_ORIGINS },
      mfaEncryptionKey: env.MFA_ENCRYPTION_KEY,
    }),
  ];
}

/**
 * Each origin must be one (scheme://host[:port]) whose host is the RP ID or a subdomain of it:
 * browsers refuse any other pairing, so every ceremony would fail (WebAuthn, "RP ID").
 */
function webAuthnOriginProblems(env: Record<string, string>): string[] {
  // The default is built from PORT, which is checked (and reported) on its own.
  if (env.WEBAUTHN_ORIGINS === undefined) return [];
  const rpId = env.WEBAUTHN_RP_ID ?? 'localhost';
  return splitList(env.WEBAUTHN_ORIGINS).flatMap((origin) => {
    if (!isOrigin(origin)) return [`WEBAUTHN_ORIGINS: "${origin}" is not an origin like https://app.example.com`];
    const host = new URL(origin).hostname;
    if (isDomain(rpId) && host !== rpId && !host.endsWith(`.${rpId}`)) {
      return [`WEBAUTHN_ORIGINS: "${origin}" is not on WEBAUTHN_RP_ID (${rpId}) or a subdomain of it`];
    }
    return [];
  });
}

/** A host name without scheme, port or path: what WebAuthn takes as an RP ID. */
function isDomain(value: string): boolean {
  return /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(value);
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

type ParsedEnv = z.infer<typeof envSchema>;

function tracingSettings(e: ParsedEnv): TracingSettings | null {
  if (e.OTEL_SDK_DISABLED === true) return null;
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT;
  // The signal's own endpoint is used as is; the general one gets the signal's path (OTLP spec).
  const tracesUrl = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base === undefined ? null : `${base.replace(/\/+$/, '')}/v1/traces`);
  if (tracesUrl === null) return null;
  return Object.freeze({
    tracesUrl,
    protocol: e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    serviceName: e.OTEL_SERVICE_NAME,
  });
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
    emailVerification: e.EMAIL_VERIFICATION,
    emailVerificationUrl: e.EMAIL_VERIFICATION_URL ?? defaultEmailVerificationUrl(e.PORT),
    emailVerificationTokenTtlSeconds: e.EMAIL_VERIFICATION_TOKEN_TTL_SECONDS,
    webauthn: Object.freeze({
      rpId: e.WEBAUTHN_RP_ID.toLowerCase(),
      rpName: e.WEBAUTHN_RP_NAME,
      origins: Object.freeze(splitList(e.WEBAUTHN_ORIGINS ?? defaultWebAuthnOrigins(e.PORT))),
    }),
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
      verificationRequestPerIp: e.RATE_LIMIT_VERIFICATION_REQUEST_PER_IP,
      verificationRequestPerEmail: e.RATE_LIMIT_VERIFICATION_REQUEST_PER_EMAIL,
      verifyEmailPerIp: e.RATE_LIMIT_VERIFY_EMAIL_PER_IP,
      accountChangePerIp: e.RATE_LIMIT_ACCOUNT_CHANGE_PER_IP,
      accountChangePerAccount: e.RATE_LIMIT_ACCOUNT_CHANGE_PER_ACCOUNT,
      passkeyOptionsPerIp: e.RATE_LIMIT_PASSKEY_OPTIONS_PER_IP,
      passkeyLoginPerIp: e.RATE_LIMIT_PASSKEY_LOGIN_PER_IP,
      verifyMfaPerIp: e.RATE_LIMIT_VERIFY_MFA_PER_IP,
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
    metricsPort: e.METRICS_PORT ?? null,
    tracing: tracingSettings(e),
    mfaEncryptionKey: e.MFA_ENCRYPTION_KEY ?? null,
    mfaPreviousEncryptionKeys: Object.freeze(e.MFA_ENCRYPTION_KEY_PREVIOUS),
    mfaTotpIssuer: e.MFA_TOTP_ISSUER,
    logLevel: e.LOG_LEVEL,
  });
}
