import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { httpsLinkProblems } from '../src/production-settings.ts';
import { exitOf, spawnService } from './helpers/service-process.ts';

/** What production needs beyond the defaults. */
const productionBase = {
  NODE_ENV: 'production',
  PASSWORD_RESET_URL: 'https://app.example.com/reset',
  EMAIL_VERIFICATION_URL: 'https://app.example.com/verify',
  WEBAUTHN_RP_ID: 'app.example.com',
  WEBAUTHN_RP_NAME: 'Example',
  WEBAUTHN_ORIGINS: 'https://app.example.com',
  MFA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('loadConfig', () => {
  it('has the defaults of the contract', () => {
    expect(loadConfig({})).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      databaseUrl: 'file:./data/auth.db',
      databasePoolSize: 10,
      databaseConnectTimeoutSeconds: 5,
      databaseStatementTimeoutSeconds: 10,
      smtpUrl: null,
      mailFrom: 'no-reply@localhost',
      passwordResetUrl: 'http://localhost:4000/reset-password',
      isProduction: false,
      sessionMaxAgeSeconds: 2592000,
      sessionIdleTimeoutSeconds: 604800,
      sessionTouchIntervalSeconds: 60,
      maxSessionsPerUser: 50,
      resetTokenTtlSeconds: 1800,
      housekeepingIntervalSeconds: 3600,
      bcryptCost: 12,
      trustProxy: 0,
      corsOrigins: [],
      logLevel: 'info',
      introspection: true,
      graphiql: true,
      metricsPort: null,
      tracing: null,
    });
  });

  it('turns tracing on with the standard OpenTelemetry variables', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      serviceName: 'auth-api',
    });
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/custom/path',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'auth-eu',
      }).tracing,
    ).toEqual({ tracesUrl: 'https://traces.example.com/custom/path', protocol: 'http/json', serviceName: 'auth-eu' });
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      }).tracing?.protocol,
    ).toBe('http/protobuf');
    expect(loadConfig({ OTEL_SERVICE_NAME: 'auth-eu', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must be a URL/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL: must be http\/protobuf or http\/json/,
    );
  });

  it("serves metrics only when METRICS_PORT is set, on a port other than the API's", () => {
    expect(loadConfig({ METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(loadConfig({ METRICS_PORT: '0', PORT: '0' }).metricsPort).toBe(0); // any free port, as PORT=0
    expect(loadConfig({ METRICS_PORT: '' }).metricsPort).toBeNull();
    expect(() => loadConfig({ METRICS_PORT: '65536' })).toThrow(/METRICS_PORT: must be a whole number from 0 to 65535/);
    expect(() => loadConfig({ METRICS_PORT: 'on' })).toThrow(/METRICS_PORT: must be a whole number/);
    expect(() => loadConfig({ METRICS_PORT: '4000' })).toThrow(/METRICS_PORT: must differ from PORT/);
    expect(() => loadConfig({ METRICS_PORT: '8080', PORT: ' 8080 ' })).toThrow(/METRICS_PORT: must differ from PORT/);
  });

  it('has the documented defaults for limits (SECURITY.md)', () => {
    const { rateLimits, requestLimits } = loadConfig({});
    expect(rateLimits).toEqual({
      loginPerIp: { points: 100, durationSeconds: 900 },
      loginPerAccount: { freeAttempts: 5, baseSeconds: 60, maxSeconds: 900 },
      registerPerIp: { points: 10, durationSeconds: 3600 },
      resetRequestPerIp: { points: 10, durationSeconds: 3600 },
      resetRequestPerEmail: { points: 3, durationSeconds: 3600 },
      resetPerIp: { points: 10, durationSeconds: 900 },
      resetPerAccount: { points: 5, durationSeconds: 3600 },
      changePasswordPerIp: { points: 10, durationSeconds: 900 },
      changePasswordPerAccount: { points: 5, durationSeconds: 900 },
      verificationRequestPerIp: { points: 10, durationSeconds: 3600 },
      verificationRequestPerEmail: { points: 3, durationSeconds: 3600 },
      verifyEmailPerIp: { points: 30, durationSeconds: 900 },
      accountChangePerIp: { points: 10, durationSeconds: 900 },
      accountChangePerAccount: { points: 5, durationSeconds: 900 },
      passkeyOptionsPerIp: { points: 100, durationSeconds: 900 },
      passkeyLoginPerIp: { points: 100, durationSeconds: 900 },
      verifyMfaPerIp: { points: 50, durationSeconds: 900 },
    });
    expect(requestLimits).toEqual({ maxDepth: 8, maxAliases: 10, maxTokens: 1000, maxDirectives: 10, maxBodyBytes: 102400 });
  });

  it('turns introspection and GraphiQL off in production unless asked for', () => {
    expect(loadConfig(productionBase)).toMatchObject({ introspection: false, graphiql: false });
    expect(loadConfig({ ...productionBase, GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: '1' })).toMatchObject({
      introspection: true,
      graphiql: true,
    });
    expect(() => loadConfig({ GRAPHIQL: 'yes' })).toThrow(/GRAPHIQL: must be true or false/);
    expect(() => loadConfig({ RATE_LIMIT_LOGIN_PER_IP: '100 per minute' })).toThrow(/RATE_LIMIT_LOGIN_PER_IP: must be attempts\/seconds/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://auth@db/auth',
      DATABASE_POOL_SIZE: '20',
      DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
      DATABASE_STATEMENT_TIMEOUT_SECONDS: '30',
      SMTP_URL: 'smtp://mail:2525?requireTLS=true',
      MAIL_FROM: 'auth@example.com',
      PASSWORD_RESET_URL: 'https://app.example.com/reset',
      EMAIL_VERIFICATION: 'required',
      EMAIL_VERIFICATION_URL: 'https://app.example.com/verify',
      EMAIL_VERIFICATION_TOKEN_TTL_SECONDS: '3600',
      WEBAUTHN_RP_ID: 'example.com',
      WEBAUTHN_RP_NAME: 'Example',
      WEBAUTHN_ORIGINS: 'https://example.com, https://app.example.com',
      NODE_ENV: 'production',
      SESSION_MAX_AGE_SECONDS: '3600',
      SESSION_IDLE_TIMEOUT_SECONDS: '600',
      RESET_TOKEN_TTL_SECONDS: '900',
      HOUSEKEEPING_INTERVAL_SECONDS: '60',
      BCRYPT_COST: '13',
      TRUST_PROXY: '1',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/',
      MFA_ENCRYPTION_KEY: productionBase.MFA_ENCRYPTION_KEY,
      MFA_TOTP_ISSUER: 'Example',
      RATE_LIMIT_VERIFY_MFA_PER_IP: '20/600',
    });
    expect(config.rateLimits.verifyMfaPerIp).toEqual({ points: 20, durationSeconds: 600 });
    expect(config).toMatchObject({
      mfaTotpIssuer: 'Example',
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://auth@db/auth',
      databasePoolSize: 20,
      databaseConnectTimeoutSeconds: 2,
      databaseStatementTimeoutSeconds: 30,
      smtpUrl: 'smtp://mail:2525?requireTLS=true',
      passwordResetUrl: 'https://app.example.com/reset',
      emailVerification: 'required',
      emailVerificationUrl: 'https://app.example.com/verify',
      emailVerificationTokenTtlSeconds: 3600,
      webauthn: { rpId: 'example.com', rpName: 'Example', origins: ['https://example.com', 'https://app.example.com'] },
      isProduction: true,
      sessionMaxAgeSeconds: 3600,
      sessionIdleTimeoutSeconds: 600,
      resetTokenTtlSeconds: 900,
      housekeepingIntervalSeconds: 60,
      bcryptCost: 13,
      trustProxy: 1,
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
    });
  });

  it('refuses a HOUSEKEEPING_INTERVAL_SECONDS that is not whole seconds from 1 to a week', () => {
    expect(loadConfig({ HOUSEKEEPING_INTERVAL_SECONDS: '1' }).housekeepingIntervalSeconds).toBe(1);
    expect(loadConfig({ HOUSEKEEPING_INTERVAL_SECONDS: '604800' }).housekeepingIntervalSeconds).toBe(604800);
    for (const value of ['0', '-60', '1.5', 'hourly', '604801']) {
      expect(() => loadConfig({ HOUSEKEEPING_INTERVAL_SECONDS: value }), value).toThrow(
        /HOUSEKEEPING_INTERVAL_SECONDS: must be a whole number from 1 to 604800/,
      );
    }
  });

  it('lists every bad value in one error, naming each variable', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        BCRYPT_COST: '3',
        DATABASE_URL: 'mysql://x',
        DATABASE_POOL_SIZE: '0',
        DATABASE_CONNECT_TIMEOUT_SECONDS: 'soon',
        SMTP_URL: 'http://mail',
        SESSION_IDLE_TIMEOUT_SECONDS: '-5',
        CORS_ORIGINS: '*',
      });
    const variables = [
      'BCRYPT_COST',
      'CORS_ORIGINS',
      'DATABASE_CONNECT_TIMEOUT_SECONDS',
      'DATABASE_POOL_SIZE',
      'DATABASE_URL',
      'PORT',
      'SESSION_IDLE_TIMEOUT_SECONDS',
      'SMTP_URL',
    ];
    expect(attempt).toThrow(ConfigError);
    // One problem per variable, each line starting with its name: exactly these eight, in any order.
    const namesExactly = (problems: readonly string[]) =>
      JSON.stringify(problems.map((p) => p.split(':')[0]).sort()) === JSON.stringify([...variables].sort());
    expect(attempt).toThrow(
      expect.objectContaining({ problems: expect.toSatisfy(namesExactly, `problems naming exactly ${variables.join(', ')}`) }),
    );
  });

  it('refuses a bcrypt cost below 10 in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', BCRYPT_COST: '9' })).toThrow(/BCRYPT_COST: must be at least 10/);
    expect(loadConfig({ BCRYPT_COST: '9' }).bcryptCost).toBe(9);
  });

  it('points the default reset link at the configured PORT, so a fresh start on any port links to its own page', () => {
    expect(loadConfig({ PORT: '8080' }).passwordResetUrl).toBe('http://localhost:8080/reset-password');
    expect(loadConfig({ PORT: '8080', PASSWORD_RESET_URL: 'http://localhost:5173/reset' }).passwordResetUrl).toBe(
      'http://localhost:5173/reset',
    );
    expect(() => loadConfig({ ...productionBase, PORT: '8080', PASSWORD_RESET_URL: undefined })).toThrow(
      /PASSWORD_RESET_URL: must be an https: URL when NODE_ENV=production/,
    );
  });

  it('refuses an http: PASSWORD_RESET_URL in production, the default and loopback included', () => {
    for (const url of [
      undefined,
      'http://localhost:4000/reset-password',
      'http://127.0.0.1/reset',
      'http://[::1]/reset',
      'http://app.example.com/reset',
    ]) {
      expect(() => loadConfig({ ...productionBase, PASSWORD_RESET_URL: url })).toThrow(
        /PASSWORD_RESET_URL: must be an https: URL when NODE_ENV=production/,
      );
    }
    expect(loadConfig({ ...productionBase, PASSWORD_RESET_URL: 'https://app.example.com/reset' }).passwordResetUrl).toBe(
      'https://app.example.com/reset',
    );
    expect(loadConfig({ PASSWORD_RESET_URL: 'http://localhost:5173/reset' }).passwordResetUrl).toBe('http://localhost:5173/reset');
  });

  it('refuses an http: EMAIL_VERIFICATION_URL in production, its default included', () => {
    for (const url of [undefined, 'http://localhost:4000/verify-email', 'http://app.example.com/verify']) {
      expect(() => loadConfig({ ...productionBase, EMAIL_VERIFICATION_URL: url })).toThrow(
        /EMAIL_VERIFICATION_URL: must be an https: URL when NODE_ENV=production/,
      );
    }
  });

  it('points the default verification link at the configured PORT, and reads the verification settings', () => {
    expect(loadConfig({ PORT: '8080' })).toMatchObject({
      emailVerificationUrl: 'http://localhost:8080/verify-email',
      emailVerification: 'optional',
      emailVerificationTokenTtlSeconds: 86400,
    });
    expect(() => loadConfig({ EMAIL_VERIFICATION: 'always' })).toThrow(/EMAIL_VERIFICATION: must be optional or required/);
    expect(() => loadConfig({ EMAIL_VERIFICATION_TOKEN_TTL_SECONDS: '10' })).toThrow(/EMAIL_VERIFICATION_TOKEN_TTL_SECONDS/);
  });

  it('has one https rule for every mailed link', () => {
    expect(httpsLinkProblems('EMAIL_VERIFICATION_URL', 'http://app.example.com/verify', true)).toEqual([
      expect.stringMatching(/^EMAIL_VERIFICATION_URL: must be an https: URL when NODE_ENV=production/),
    ]);
    expect(httpsLinkProblems('EMAIL_VERIFICATION_URL', 'https://app.example.com/verify', true)).toEqual([]);
    expect(httpsLinkProblems('EMAIL_VERIFICATION_URL', 'http://app.example.com/verify', false)).toEqual([]);
  });

  it('has the WebAuthn defaults of the contract, the origin on the port it listens on', () => {
    expect(loadConfig({}).webauthn).toEqual({ rpId: 'localhost', rpName: 'Auth API', origins: ['http://localhost:4000'] });
    expect(loadConfig({ PORT: '8080' }).webauthn.origins).toEqual(['http://localhost:8080']);
  });

  it('refuses a WebAuthn origin that is not on the RP ID, and an RP ID that is not a domain', () => {
    expect(() => loadConfig({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://evil.com' })).toThrow(
      /WEBAUTHN_ORIGINS: "https:\/\/evil.com" is not on WEBAUTHN_RP_ID/,
    );
    expect(() => loadConfig({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://notexample.com' })).toThrow(/WEBAUTHN_ORIGINS/);
    expect(() => loadConfig({ WEBAUTHN_ORIGINS: 'localhost:4000' })).toThrow(/WEBAUTHN_ORIGINS: "localhost:4000" is not an origin/);
    expect(() => loadConfig({ WEBAUTHN_RP_ID: 'https://example.com' })).toThrow(/WEBAUTHN_RP_ID: must be a domain name/);
    expect(loadConfig({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://login.example.com' }).webauthn.origins).toEqual([
      'https://login.example.com',
    ]);
  });

  it('refuses the WebAuthn development defaults in production', () => {
    const { WEBAUTHN_RP_ID: _id, WEBAUTHN_RP_NAME: _name, WEBAUTHN_ORIGINS: _origins, ...withoutWebAuthn } = productionBase;
    const attempt = () => loadConfig(withoutWebAuthn);
    expect(attempt).toThrow(/WEBAUTHN_RP_ID: must be set[^]*WEBAUTHN_RP_NAME: must be set[^]*WEBAUTHN_ORIGINS: must list/);
    expect(() => loadConfig({ ...productionBase, WEBAUTHN_RP_ID: 'localhost', WEBAUTHN_ORIGINS: 'https://localhost' })).toThrow(
      /WEBAUTHN_RP_ID: must be set to the domain/,
    );
    expect(() => loadConfig({ ...productionBase, WEBAUTHN_ORIGINS: 'http://app.example.com' })).toThrow(
      /WEBAUTHN_ORIGINS: every origin must be https:/,
    );
    expect(loadConfig(productionBase).webauthn.rpId).toBe('app.example.com');
  });

  it('refuses a plain smtp: SMTP_URL in production unless it requires STARTTLS', () => {
    for (const url of [
      'smtp://mail:587',
      'smtp://mail:587?requireTLS=false',
      'smtp://mail:587?requiretls=true',
      'smtp://mail:587?requireTLS=true&requireTLS=false',
      'smtps://mail:465?tls.rejectUnauthorized=false',
      'smtp://mail:587?requireTLS=true&tls.rejectUnauthorized=false',
    ]) {
      expect(() => loadConfig({ ...productionBase, SMTP_URL: url }), url).toThrow(/SMTP_URL: /);
    }
    for (const url of ['smtps://mail:465', 'smtp://user:pass@mail:587?requireTLS=true']) {
      expect(loadConfig({ ...productionBase, SMTP_URL: url }).smtpUrl, url).toBe(url);
    }
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).smtpUrl).toBe('smtp://127.0.0.1:2525');
  });

  it('names every weak production setting in one error, without echoing SMTP credentials', () => {
    const attempt = () =>
      loadConfig({
        NODE_ENV: 'production',
        BCRYPT_COST: '9',
        PASSWORD_RESET_URL: 'http://app.example.com/reset',
        SMTP_URL: 'smtp://user:hunter2@mail',
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).not.toThrow(/hunter2/);
    expect(attempt).toThrow(/BCRYPT_COST:[^]*PASSWORD_RESET_URL:[^]*SMTP_URL:|BCRYPT_COST:[^]*SMTP_URL:[^]*PASSWORD_RESET_URL:/);
  });

  it('refuses a PostgreSQL URL without a host, without echoing it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://' })).toThrow(/DATABASE_URL: must be file:<path> \(SQLite\) or postgresql:/);
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://user:hunter2@/db' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://user:hunter2@/db' })).not.toThrow(/hunter2/);
  });

  it('does not echo values that may hold credentials', () => {
    expect(() => loadConfig({ SMTP_URL: 'ftp://user:hunter2@mail' })).toThrow(ConfigError);
    expect(() => loadConfig({ SMTP_URL: 'ftp://user:hunter2@mail' })).not.toThrow(/hunter2/);
  });
});

describe('MFA_ENCRYPTION_KEY', () => {
  const key = randomBytes(32);
  const [old1, old2] = [randomBytes(32), randomBytes(32)];

  it('is 32 bytes in base64, and earlier keys come comma-separated', () => {
    const config = loadConfig({
      MFA_ENCRYPTION_KEY: key.toString('base64'),
      MFA_ENCRYPTION_KEY_PREVIOUS: `${old1.toString('base64')}, ${old2.toString('base64')}`,
    });
    expect(config.mfaEncryptionKey).toEqual(key);
    expect(config.mfaPreviousEncryptionKeys).toEqual([old1, old2]);
    expect(loadConfig({})).toMatchObject({ mfaEncryptionKey: null, mfaPreviousEncryptionKeys: [], mfaTotpIssuer: 'Auth API' });
  });

  it('refuses a key of another length or encoding without echoing it', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => loadConfig({ MFA_ENCRYPTION_KEY: short })).toThrow(/MFA_ENCRYPTION_KEY: must be 32 random bytes in base64/);
    expect(() => loadConfig({ MFA_ENCRYPTION_KEY: short })).not.toThrow(short);
    expect(() => loadConfig({ MFA_ENCRYPTION_KEY: key.toString('hex') })).toThrow(/MFA_ENCRYPTION_KEY: /);
    expect(() => loadConfig({ MFA_ENCRYPTION_KEY_PREVIOUS: `${old1.toString('base64')},nope` })).toThrow(/MFA_ENCRYPTION_KEY_PREVIOUS: /);
  });

  it('is required in production', () => {
    const { MFA_ENCRYPTION_KEY: _key, ...withoutKey } = productionBase;
    expect(() => loadConfig(withoutKey)).toThrow(/MFA_ENCRYPTION_KEY: required when NODE_ENV=production/);
  });
});

describe('npm start in production without MFA_ENCRYPTION_KEY', () => {
  it('stops with exit code 1 and a message naming the variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auth-api-mfa-key-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const { MFA_ENCRYPTION_KEY: _key, ...withoutKey } = productionBase;
    const child = spawnService({ ...withoutKey, DATABASE_URL: `file:${dir}/auth.db` });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(child)).toBe(1);
    expect(stderr).toMatch(/MFA_ENCRYPTION_KEY: required when NODE_ENV=production/);
    expect(readdirSync(dir)).toEqual([]); // refused before anything was created
  });
});

describe('npm start with a bad value', () => {
  it('stops with exit code 1 and a message naming the variable', async () => {
    const child = spawnService({ PORT: '99999', SESSION_MAX_AGE_SECONDS: 'forever' });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(child)).toBe(1);
    expect(stderr).toMatch(/PORT: must be a whole number from 0 to 65535/);
    expect(stderr).toMatch(/SESSION_MAX_AGE_SECONDS/);
  });
});

describe('npm start in production with the WebAuthn development defaults', () => {
  it('stops with exit code 1, naming each WEBAUTHN_ variable', async () => {
    const { WEBAUTHN_RP_ID: _id, WEBAUTHN_RP_NAME: _name, WEBAUTHN_ORIGINS: _origins, ...withoutWebAuthn } = productionBase;
    const child = spawnService({ ...withoutWebAuthn, BCRYPT_COST: '10' });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(child)).toBe(1);
    expect(stderr).toMatch(/WEBAUTHN_RP_ID: must be set/);
    expect(stderr).toMatch(/WEBAUTHN_RP_NAME: must be set/);
    expect(stderr).toMatch(/WEBAUTHN_ORIGINS: must list/);
  });
});

describe('npm start on a port that is taken', () => {
  /** Starts the service with a port another server holds; its exit code and output. */
  async function startOnTakenPort(envFor: (port: number) => Record<string, string>) {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const dir = mkdtempSync(join(tmpdir(), 'auth-api-port-'));
    onTestFinished(() => {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const child = spawnService({ ...envFor(port), DATABASE_URL: `file:${dir}/auth.db` });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    return { port, exitCode: await exitOf(child), stdout };
  }

  it('stops with exit code 1, saying the address is already in use', async () => {
    const { port, exitCode, stdout } = await startOnTakenPort((taken) => ({ PORT: String(taken) }));
    expect(exitCode).toBe(1);
    expect(stdout).toContain(`cannot listen on 127.0.0.1:${port}: the address is already in use`);
  });

  it('stops alike when METRICS_PORT is taken', async () => {
    const { port, exitCode, stdout } = await startOnTakenPort((taken) => ({ METRICS_PORT: String(taken) }));
    expect(exitCode).toBe(1);
    expect(stdout).toContain(`cannot listen on 127.0.0.1:${port}: the address is already in use`);
  });
});
