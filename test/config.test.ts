import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { httpsLinkProblems } from '../src/production-settings.ts';
import { exitOf, spawnService } from './helpers/service-process.ts';

/** What production needs beyond the defaults. */
const productionBase = { NODE_ENV: 'production', PASSWORD_RESET_URL: 'https://app.example.com/reset' };

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
    });
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
      NODE_ENV: 'production',
      SESSION_MAX_AGE_SECONDS: '3600',
      SESSION_IDLE_TIMEOUT_SECONDS: '600',
      RESET_TOKEN_TTL_SECONDS: '900',
      HOUSEKEEPING_INTERVAL_SECONDS: '60',
      BCRYPT_COST: '13',
      TRUST_PROXY: '1',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://auth@db/auth',
      databasePoolSize: 20,
      databaseConnectTimeoutSeconds: 2,
      databaseStatementTimeoutSeconds: 30,
      smtpUrl: 'smtp://mail:2525?requireTLS=true',
      passwordResetUrl: 'https://app.example.com/reset',
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

  it('has one https rule for every mailed link, ready for the next variable', () => {
    expect(httpsLinkProblems('EMAIL_VERIFICATION_URL', 'http://app.example.com/verify', true)).toEqual([
      expect.stringMatching(/^EMAIL_VERIFICATION_URL: must be an https: URL when NODE_ENV=production/),
    ]);
    expect(httpsLinkProblems('EMAIL_VERIFICATION_URL', 'https://app.example.com/verify', true)).toEqual([]);
    expect(httpsLinkProblems('EMAIL_VERIFICATION_URL', 'http://app.example.com/verify', false)).toEqual([]);
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

describe('npm start on a port that is taken', () => {
  it('stops with exit code 1, saying the address is already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const dir = mkdtempSync(join(tmpdir(), 'auth-api-port-'));
    onTestFinished(() => {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const child = spawnService({ PORT: String(port), DATABASE_URL: `file:${dir}/auth.db` });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    expect(await exitOf(child)).toBe(1);
    expect(stdout).toContain(`cannot listen on 127.0.0.1:${port}: the address is already in use`);
  });
});
