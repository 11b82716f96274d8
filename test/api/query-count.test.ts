// Every operation costs exactly the statements it needs, counted from Prisma's own `query` events
// (as @pothos/plugin-prisma's tests count them). A resolver that returns a plain record through a
// plain field makes the Prisma plugin load the row again; these counts catch that, and any other
// query that creeps in. `rateLimit` is the rate-limit counter store (auth/rate-limit-repository.ts:
// one INSERT … ON CONFLICT per counted attempt, one DELETE to clear a back-off); `own` is the rest.
import { GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { createQueryCountingApp } from '../helpers/query-log.ts';
import {
  ChangeEmail,
  ChangePassword,
  DeleteAccount,
  Login,
  LoginWithPasskey,
  PasskeyLoginOptions,
  PasskeyRegistrationOptions,
  Passkeys,
  RegisterPasskey,
  RemovePasskey,
  Logout,
  LogoutEverywhere,
  Me,
  Register,
  RequestEmailVerification,
  RequestPasswordReset,
  ResetPassword,
  RevokeSession,
  Sessions,
  VerifyEmail,
  VerifyMfa,
  ada,
} from '../helpers/operations.ts';
import { challenged, currentCode, enrolled } from '../helpers/mfa.ts';
import { SoftwareAuthenticator } from '../helpers/software-authenticator.ts';
import { RESET_MAIL, resetTokenFrom, startSmtpServer, VERIFICATION_MAIL } from '../helpers/smtp.ts';

/**
 * A passkey with its user: Prisma reads the relation with a second SELECT by id (no
 * relationJoins preview here), the user's columns limited to the client's selection.
 */
const LOGIN_USER_READS = 2;

type Api = Awaited<ReturnType<typeof createQueryCountingApp>>;

/** Ada registered and logged in on the app's main agent (which keeps her cookies). */
async function signedIn(env: Record<string, string> = {}): Promise<Api> {
  const api = await createQueryCountingApp(env);
  await api.gql(Register, ada);
  await api.gql(Login, ada);
  return api;
}

describe('queries per operation', () => {
  it('register: the rate limit, one INSERT returning the selection, then the verification token', async () => {
    const api = await createQueryCountingApp();
    const { count } = await api.queriesOf(() => api.gql(Register, ada));
    // rateLimit: registerPerIp (1). own: the INSERT … RETURNING, and no reload of the user (1);
    // after the response, in one transaction, the lock, older tokens deleted, the token inserted (3).
    expect(count).toEqual({ rateLimit: 1, own: 4, transactions: 1 });
  });

  it('login in a fresh browser: the limits, the user, one session transaction, and no reload', async () => {
    const api = await createQueryCountingApp();
    await api.gql(Register, ada);
    const { count } = await api.queriesOf(() => api.gql(Login, ada));
    // rateLimit: loginPerIp (1), the account's password attempt (1), its back-off cleared (1).
    // own: the user by email with the client's selection (1); once the password is proven,
    // whether the account has a second factor (1); in one transaction, the user's
    // row locked at its credential version, the session inserted, sessions over the cap looked
    // for, the device inserted, devices over the cap looked for (5).
    expect(count).toEqual({ rateLimit: 3, own: 7, transactions: 1 });
  });

  it('login in a browser that carries a session and a device cookie: also ends and replaces them', async () => {
    const api = await signedIn();
    const { count } = await api.queriesOf(() => api.gql(Login, ada));
    // rateLimit: as above, the attempt counted against the device instead of the account (3).
    // own: as above (7), plus the device cookie's row (1), the carried session deleted (1) and
    // the replaced device deleted (1).
    expect(count).toEqual({ rateLimit: 3, own: 10, transactions: 1 });
  });

  it('me: none through Prisma (the prepared session lookup answers it)', async () => {
    const api = await signedIn();
    const { count } = await api.queriesOf(() => api.gql(Me));
    expect(count).toEqual({ rateLimit: 0, own: 0, transactions: 0 });
  });

  it('sessions: one SELECT, however many sessions there are', async () => {
    const api = await signedIn();
    await api.agent('phone').gql(Login, ada);
    await api.agent('tablet').gql(Login, ada);
    const { count } = await api.queriesOf(() => api.gql(Sessions));
    expect(count).toEqual({ rateLimit: 0, own: 1, transactions: 0 });
  });

  it('logout: one DELETE', async () => {
    const api = await signedIn();
    const { count } = await api.queriesOf(() => api.gql(Logout));
    expect(count).toEqual({ rateLimit: 0, own: 1, transactions: 0 });
  });

  it('revokeSession: one DELETE', async () => {
    const api = await signedIn();
    const other = api.agent('phone');
    await other.gql(Login, ada);
    const sessions = (await other.gql(Sessions)).data!.sessions;
    const id = sessions.find((session) => session.current)!.id;
    const { count } = await api.queriesOf(() => api.gql(RevokeSession, { id }));
    expect(count).toEqual({ rateLimit: 0, own: 1, transactions: 0 });
  });

  it('logoutEverywhere: one DELETE', async () => {
    const api = await signedIn();
    const { count } = await api.queriesOf(() => api.gql(LogoutEverywhere));
    expect(count).toEqual({ rateLimit: 0, own: 1, transactions: 0 });
  });

  it('changePassword: the limits, the credentials, one rotating transaction', async () => {
    const api = await signedIn();
    const { count } = await api.queriesOf(() =>
      api.gql(ChangePassword, { currentPassword: ada.password, newPassword: 'another good phrase' }),
    );
    // rateLimit: changePasswordPerIp (1), changePasswordPerAccount (1), the device's password
    // attempt (1), its back-off cleared (1). own: the user with the hash (1), the device
    // cookie's row (1); in one transaction, the lock, the new hash, the sessions deleted, the
    // reset tokens deleted, the rotated session inserted (5).
    expect(count).toEqual({ rateLimit: 4, own: 7, transactions: 1 });
  });

  it('requestPasswordReset: the limits on the request, then the user and one token transaction after it', async () => {
    const smtp = await startSmtpServer();
    const api = await signedIn({ SMTP_URL: smtp.url });
    const { count } = await api.queriesOf(() => api.gql(RequestPasswordReset, { email: ada.email }));
    // rateLimit: resetRequestPerIp (1), resetRequestPerEmail (1). own, after the response: the
    // user by email (1); in one transaction, the lock, older tokens deleted, the token inserted (3).
    expect(count).toEqual({ rateLimit: 2, own: 4, transactions: 1 });
  });

  it('resetPassword: the limits, the token owner, one consuming transaction', async () => {
    const smtp = await startSmtpServer();
    const api = await signedIn({ SMTP_URL: smtp.url });
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await smtp.nextMailTo(ada.email, RESET_MAIL));
    const { count } = await api.queriesOf(() => api.gql(ResetPassword, { token, newPassword: 'a fresh start phrase' }));
    // rateLimit: resetPerIp (1), resetPerAccount (1), the account's back-off cleared (1).
    // own: the token's owner (1); in one transaction, the token consumed, its id read back, the
    // new hash, the other tokens deleted, the sessions deleted (5).
    expect(count).toEqual({ rateLimit: 3, own: 6, transactions: 1 });
  });

  it('verifyMfa: the limits, the challenge, the code, one session transaction', async () => {
    const api = await createQueryCountingApp();
    const { secret } = await enrolled(api);
    const browser = await challenged(api);
    const code = currentCode(api, secret);
    const { count } = await api.queriesOf(() => browser.gql(VerifyMfa, { code }));
    // rateLimit: verifyMfaPerIp (1), the account's code lock read (1, a SELECT) and its attempt counted (1),
    // the run of failures cleared (1). own: the challenge read (1) and its attempt claimed (1), the
    // authenticator (1), the time step recorded (1), the challenge used up (1); in one
    // transaction, the session started as login starts it (5); the user as selected (1).
    expect(count).toEqual({ rateLimit: 4, own: 11, transactions: 1 });
  });

  it('verifyEmail: the limit, the live token, one consuming transaction', async () => {
    const smtp = await startSmtpServer();
    const api = await signedIn({ SMTP_URL: smtp.url });
    const token = resetTokenFrom(await smtp.nextMailTo(ada.email, VERIFICATION_MAIL));
    const { count } = await api.queriesOf(() => api.gql(VerifyEmail, { token }));
    // rateLimit: verifyEmailPerIp (1). own: the live token (1); in one transaction, the token
    // deleted returning its user, the lock, the user's address, the address marked verified (4).
    expect(count).toEqual({ rateLimit: 1, own: 5, transactions: 1 });
  });

  it('requestEmailVerification: the limits on the request, then the user and one token transaction after it', async () => {
    const smtp = await startSmtpServer();
    const api = await signedIn({ SMTP_URL: smtp.url });
    const { count } = await api.queriesOf(() => api.gql(RequestEmailVerification, { email: ada.email }));
    // rateLimit: verificationRequestPerIp (1), verificationRequestPerEmail (1). own, after the
    // response: the user by email (1); in one transaction, the lock, older tokens deleted, the
    // token inserted (3).
    expect(count).toEqual({ rateLimit: 2, own: 4, transactions: 1 });
  });

  it('changeEmail: the limits, the credentials, then the address looked up and one token transaction after it', async () => {
    const smtp = await startSmtpServer();
    const api = await signedIn({ SMTP_URL: smtp.url });
    const { count } = await api.queriesOf(() => api.gql(ChangeEmail, { newEmail: 'ada@new.example.com', currentPassword: ada.password }));
    // rateLimit: accountChangePerIp (1), accountChangePerAccount (1), the device's password
    // attempt (1), its back-off cleared (1). own: the user with the hash (1), the device
    // cookie's row (1); after the response, the new address looked up (1) and, in one
    // transaction, the lock, older tokens deleted, the token inserted (3).
    expect(count).toEqual({ rateLimit: 4, own: 6, transactions: 1 });
  });

  it('deleteAccount: the limits, the credentials, one deleting transaction, the counters forgotten', async () => {
    const api = await signedIn();
    const { count } = await api.queriesOf(() => api.gql(DeleteAccount, { currentPassword: ada.password }));
    // rateLimit: accountChangePerIp (1), accountChangePerAccount (1), the device's password
    // attempt (1), its back-off cleared (1), the account's counters forgotten (1). own: the user
    // with the hash (1), the device cookie's row (1); in one transaction, the lock and the
    // delete, which cascades in the database (2).
    expect(count).toEqual({ rateLimit: 5, own: 4, transactions: 1 });
  });
});

describe('queries per passkey operation', () => {
  /** Ada signed in with one passkey, and the authenticator holding it. */
  async function withPasskey(): Promise<{ api: Api; authenticator: SoftwareAuthenticator; passkeyId: string }> {
    const api = await signedIn();
    const authenticator = new SoftwareAuthenticator();
    const options = (await api.gql(PasskeyRegistrationOptions)).data!.passkeyRegistrationOptions;
    const registered = await api.gql(RegisterPasskey, { response: authenticator.create(options), name: 'Laptop' });
    return { api, authenticator, passkeyId: registered.data!.registerPasskey.id };
  }

  it('passkeyRegistrationOptions: the limit, the credentials to exclude, one challenge transaction', async () => {
    const api = await signedIn();
    const { count } = await api.queriesOf(() => api.gql(PasskeyRegistrationOptions));
    // rateLimit: passkeyOptionsPerIp (1). own: the user's credentials (1); in one transaction,
    // the challenge inserted and the owner's challenges over the cap looked for (2).
    expect(count).toEqual({ rateLimit: 1, own: 3, transactions: 1 });
  });

  it('registerPasskey: the challenge consumed, one inserting transaction, no reload', async () => {
    const api = await signedIn();
    const options = (await api.gql(PasskeyRegistrationOptions)).data!.passkeyRegistrationOptions;
    const response = new SoftwareAuthenticator().create(options);
    const { count } = await api.queriesOf(() => api.gql(RegisterPasskey, { response, name: 'Laptop' }));
    // own: the challenge's conditional DELETE (1); in one transaction, the user's row locked,
    // the passkeys counted against the cap, the INSERT … RETURNING the selection (3).
    expect(count).toEqual({ rateLimit: 0, own: 4, transactions: 1 });
  });

  it('passkeyLoginOptions: the limit and one challenge transaction', async () => {
    const api = await createQueryCountingApp();
    const { count } = await api.queriesOf(() => api.gql(PasskeyLoginOptions));
    // rateLimit: passkeyOptionsPerIp (1). own: in one transaction, the challenge inserted and the
    // browser's challenges over the cap looked for (2).
    expect(count).toEqual({ rateLimit: 1, own: 2, transactions: 1 });
  });

  it('loginWithPasskey: the limit, the challenge, the credential with its user, the counter, one session transaction', async () => {
    const { api, authenticator } = await withPasskey();
    const options = (await api.gql(PasskeyLoginOptions)).data!.passkeyLoginOptions;
    const response = authenticator.get(options);
    const { count } = await api.queriesOf(() => api.gql(LoginWithPasskey, { response }));
    // rateLimit: passkeyLoginPerIp (1). own: the challenge's conditional DELETE (1), the
    // credential and the client's selection of its user (LOGIN_USER_READS), the counter's
    // conditional UPDATE (1), the device cookie's row (1); in one transaction, the user's row
    // locked, the carried session ended, the session inserted, sessions over the cap looked for,
    // the old device deleted, the device inserted, devices over the cap looked for (7).
    expect(count).toEqual({ rateLimit: 1, own: 3 + LOGIN_USER_READS + 7, transactions: 1 });
  });

  it('passkeys: one SELECT, however many there are', async () => {
    const { api, authenticator } = await withPasskey();
    const options = (await api.gql(PasskeyRegistrationOptions)).data!.passkeyRegistrationOptions;
    await api.gql(RegisterPasskey, { response: authenticator.create(options) });
    const { count } = await api.queriesOf(() => api.gql(Passkeys));
    expect(count).toEqual({ rateLimit: 0, own: 1, transactions: 0 });
  });

  it('removePasskey: one DELETE', async () => {
    const { api, passkeyId } = await withPasskey();
    const { count } = await api.queriesOf(() => api.gql(RemovePasskey, { id: passkeyId }));
    expect(count).toEqual({ rateLimit: 0, own: 1, transactions: 0 });
  });
});

describe('the database reads what the client selects', () => {
  it('register returns only the fields asked for', async () => {
    const api = await createQueryCountingApp();
    const { sql } = await api.queriesOf(() =>
      api.gql('mutation { register(email: "ada@example.com", password: "correct horse battery") { id } }'),
    );
    const insert = sql.find((statement) => /INSERT INTO \S+User/.test(statement))!;
    expect(insert.slice(insert.indexOf('RETURNING'))).not.toMatch(/email|createdAt/);
  });

  it('sessions reads only the columns asked for', async () => {
    const api = await signedIn();
    const { sql } = await api.queriesOf(() => api.gql('{ sessions { id createdAt } }'));
    expect(sql).toHaveLength(1);
    const columns = sql[0]!.slice(0, sql[0]!.indexOf(' FROM '));
    expect(columns).toMatch(/createdAt/);
    expect(columns).not.toMatch(/lastSeenAt|expiresAt|userAgent|tokenHash|ipAddress/);
  });

  it("me answers every field of User but the second factor's from the session lookup alone", async () => {
    // Pothos trusts the looked-up row to hold whatever is selected: a User field the lookup
    // does not read would answer null (an error, the fields being non-null), not a query.
    const secondFactor = ['mfaEnabled', 'recoveryCodesRemaining'];
    const fields = Object.keys((schema.getType('User') as GraphQLObjectType).getFields()).filter((f) => !secondFactor.includes(f));
    const api = await signedIn();
    const { count } = await api.queriesOf(async () => {
      const result = await api.gql(`{ me { ${fields.join(' ')} } }`);
      expect(result.errors).toBeUndefined();
      expect(Object.keys(result.data!.me as object).sort()).toEqual([...fields].sort());
    });
    expect(count).toEqual({ rateLimit: 0, own: 0, transactions: 0 });
  });

  it("me's second-factor fields cost one query for both, and only when selected", async () => {
    const api = await signedIn();
    const { count, sql } = await api.queriesOf(async () => {
      const result = await api.gql('{ me { id mfaEnabled recoveryCodesRemaining } }');
      expect(result.data).toEqual({ me: { id: expect.any(String), mfaEnabled: false, recoveryCodesRemaining: 0 } });
    });
    expect(count).toEqual({ rateLimit: 0, own: 1, transactions: 0 });
    expect(sql[0]).toMatch(/TotpAuthenticator|RecoveryCode/);
  });
});
