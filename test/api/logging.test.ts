// What reaches the error log: an operator pages on level-error lines, so they must mean "the
// service is broken", once per failure. A client's wrong password or a rate limit is no such
// thing; those are answered with their contract code and recorded by the audit log.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/client.ts';
import { createLogMailer } from '../../src/mail/mailer.ts';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { TestClock } from '../helpers/clock.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { captureLogs } from '../helpers/logs.ts';
import { Login, Logout, Register, ResetPassword, Sessions, ada } from '../helpers/operations.ts';

describe('expected domain errors', () => {
  it('answer BAD_USER_INPUT, EMAIL_TAKEN, INVALID_CREDENTIALS, UNAUTHENTICATED, INVALID_TOKEN and RATE_LIMITED, logging nothing at level error', async () => {
    const api = await createTestApp({ RATE_LIMIT_LOGIN_PER_IP: '4/600' });
    await api.gql(Register, ada);
    const codes = [
      errorOf(await api.gql(Register, { email: 'not an email', password: ada.password }))?.code,
      errorOf(await api.gql(Register, ada))?.code,
      errorOf(await api.gql(Login, { email: ada.email, password: 'not the password' }))?.code,
      errorOf(await api.gql(Sessions))?.code,
      errorOf(await api.gql(Logout))?.code,
      errorOf(await api.gql(ResetPassword, { token: 'no-such-token', newPassword: 'a brand new passphrase' }))?.code,
    ];
    for (let i = 0; i < 4; i += 1)
      codes.push(errorOf(await api.gql(Login, { email: `nobody${i}@example.com`, password: 'not the password' }))?.code);
    expect(new Set(codes)).toEqual(
      new Set(['BAD_USER_INPUT', 'EMAIL_TAKEN', 'INVALID_CREDENTIALS', 'UNAUTHENTICATED', 'INVALID_TOKEN', 'RATE_LIMITED']),
    );
    expect(api.logs.errorLines()).toEqual([]);
  });
});

describe('an unexpected error', () => {
  it('in a resolver is logged exactly once, with its detail', async () => {
    const api = await createTestApp();
    await api.gql(Register, ada);
    await api.prisma.$executeRawUnsafe('DROP TABLE "Session"');
    expect(errorOf(await api.gql(Login, ada))).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    const lines = api.logs.errorLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'unexpected error', err: { message: expect.stringMatching(/Session/) } });
  });

  it('thrown by an injected dependency is logged exactly once', async () => {
    const api = await createTestApp();
    api.auth.login = async () => {
      throw new Error('the dependency failed');
    };
    expect(errorOf(await api.gql(Login, ada))).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(api.logs.errorLines()).toMatchObject([{ msg: 'unexpected error', err: { message: 'the dependency failed' } }]);
  });

  it('before execution (building the context) is logged exactly once', async () => {
    const config = loadConfig({ DATABASE_URL: await freshDatabaseUrl(), BCRYPT_COST: '4' });
    const logs = captureLogs();
    const database = openDatabase(config);
    const app = createApp({
      config,
      database,
      mailer: createLogMailer(logs.log, { redactBody: false }),
      clock: new TestClock(),
      log: logs.log,
      isDatabaseMigrated: () => false,
    });
    const response = await app.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const body = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    await database.close();
    expect(errorOf(body)).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(logs.errorLines()).toMatchObject([{ msg: 'unexpected error', err: { message: 'the database is not migrated yet' } }]);
  });
});
