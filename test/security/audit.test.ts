import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import {
  ChangeEmail,
  ChangePassword,
  DeleteAccount,
  Login,
  Logout,
  LogoutEverywhere,
  Register,
  RequestEmailVerification,
  RequestPasswordReset,
  ResetPassword,
  RevokeSession,
  Sessions,
  DisableTotp,
  RegenerateRecoveryCodes,
  VerifyMfa,
  VerifyEmail,
  ada,
} from '../helpers/operations.ts';
import { challenged, currentCode, enrolled, loggedInWithMfa } from '../helpers/mfa.ts';
import { resetTokenFrom, verificationTokenFrom } from '../helpers/smtp.ts';

describe('audit trail', () => {
  it('records who did what from where, and never a password or token', async () => {
    const api = await createTestApp({ TRUST_PROXY: '1', RATE_LIMIT_RESET_REQUEST_PER_EMAIL: '1/3600' }, { smtp: true });
    const laptop = api.agent('Laptop Browser/1.0', '203.0.113.10');
    const phone = api.agent('Phone App/2.0', '198.51.100.20');

    const userId = (await laptop.gql(Register, ada)).data!.register.id;
    await phone.gql(Login, { email: ada.email, password: 'wrong wrong wrong' });
    await phone.gql(Login, ada);
    await laptop.gql(Login, ada);
    const phoneSession = (await laptop.gql(Sessions)).data!.sessions.find((s) => !s.current)!;
    await laptop.gql(RevokeSession, { id: phoneSession.id });
    const newPassword = 'an audited new phrase';
    await laptop.gql(ChangePassword, { currentPassword: ada.password, newPassword });
    expect((await api.mailTo(ada.email, /^Your password was changed$/)).raw).toMatch(/Subject: Your password was changed/);
    await laptop.gql(Logout);
    await laptop.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.resetMailTo(ada.email));
    await laptop.gql(RequestPasswordReset, { email: ada.email }); // over the per-email limit
    await laptop.gql(ResetPassword, { token, newPassword: 'the final new phrase' });
    await laptop.gql(Login, { email: ada.email, password: 'the final new phrase' });
    await laptop.gql(LogoutEverywhere);
    await api.background.drain();

    const audit = api.logs.lines.filter((l) => l.audit === true);
    const summary = audit.map((l) => `${l.event}:${l.outcome}`);
    expect(summary).toEqual([
      'register:success',
      'login:failure',
      'login:success',
      'login:success',
      'session-revoked:success',
      'password-changed:success',
      'logout:success',
      'password-reset-requested:mailed',
      'rate-limited:refused',
      'password-reset:success',
      'login:success',
      'logout-everywhere:success',
    ]);
    const failure = audit[1]!;
    expect(failure).toMatchObject({ userId, ip: '198.51.100.20', userAgent: 'Phone App/2.0', reason: 'wrong-password' });
    expect(audit[0]).toMatchObject({ userId, ip: '203.0.113.10', userAgent: 'Laptop Browser/1.0' });
    expect(audit[8]).toMatchObject({
      limit: 'resetRequestPerEmail',
      retryAfterSeconds: expect.any(Number),
      ip: '203.0.113.10',
      userAgent: 'Laptop Browser/1.0',
    });
    for (const line of audit.filter((l) => l.event !== 'rate-limited')) expect(line.userId).toBe(userId);

    const everything = api.logs.text();
    for (const secret of [ada.password, newPassword, 'the final new phrase', token, 'wrong wrong wrong']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('records the second factor: enrolment, enabling, each code checked, a recovery code used, regeneration, disabling', async () => {
    const api = await createTestApp({ TRUST_PROXY: '1' });
    const { browser, secret, recoveryCodes } = await enrolled(api);
    const userId = browser.user.id;
    await (await challenged(api)).gql(VerifyMfa, { code: '000000' });
    await loggedInWithMfa(api, secret);
    await loggedInWithMfa(api, '', recoveryCodes[0]!);
    api.clock.advanceSeconds(30);
    const fresh = (await browser.gql(RegenerateRecoveryCodes, { code: currentCode(api, secret) })).data!.regenerateRecoveryCodes;
    await browser.gql(DisableTotp, { code: fresh[0]! });
    await api.background.drain();

    const audit = api.logs.lines.filter((l) => l.audit === true && String(l.event).startsWith('mfa-'));
    expect(audit.map((l) => `${l.event}:${l.outcome}`)).toEqual([
      'mfa-enrollment-started:success',
      'mfa-enabled:success',
      'mfa-verify:failure',
      'mfa-verify:success',
      'mfa-recovery-code-used:success',
      'mfa-verify:success',
      'mfa-recovery-codes-regenerated:success',
      'mfa-recovery-code-used:success',
      'mfa-disabled:success',
    ]);
    for (const line of audit) expect(line.userId).toBe(userId);
    expect(audit[2]).toMatchObject({ reason: 'invalid-code', method: 'totp', operation: 'verifyMfa' });
    expect(audit[5]).toMatchObject({ method: 'recovery-code' });
    expect(api.logs.lines.filter((l) => l.audit === true && l.event === 'login').map((l) => l.outcome)).toContain('mfa-required');
    const everything = api.logs.text();
    for (const secretText of [secret, ...recoveryCodes, ...fresh]) expect(everything).not.toContain(secretText);
  });

  it("records an address's lifecycle: verification, change, deletion, and never a token or password", async () => {
    const api = await createTestApp({}, { smtp: true });
    const browser = await api.signedIn();
    const userId = browser.user.id;
    const registerToken = verificationTokenFrom(await api.verificationMailTo(ada.email));
    await browser.gql(VerifyEmail, { token: registerToken });
    await browser.gql(VerifyEmail, { token: registerToken }); // used already
    await browser.gql(RequestEmailVerification, { email: ada.email });
    await browser.gql(ChangeEmail, { newEmail: 'ada@new.example.com', currentPassword: 'not the password at all' });
    await browser.gql(ChangeEmail, { newEmail: 'ada@new.example.com', currentPassword: ada.password });
    const changeToken = verificationTokenFrom(await api.verificationMailTo('ada@new.example.com'));
    await browser.gql(VerifyEmail, { token: changeToken });
    await browser.gql(DeleteAccount, { currentPassword: ada.password });
    await api.background.drain();

    const audit = api.logs.lines.filter((l) => l.audit === true && l.event !== 'register' && l.event !== 'login');
    expect(audit.map((l) => `${l.event}:${l.outcome}:${String(l.reason ?? '')}`)).toEqual([
      'email-verified:success:',
      'email-verified:failure:invalid-token',
      'email-verification-requested:already-verified:',
      'email-change-requested:failure:wrong-password',
      'email-change-requested:mailed:',
      'email-changed:success:',
      'account-deleted:success:',
    ]);
    for (const line of audit.filter((l) => l.outcome !== 'failure' || l.reason !== 'invalid-token')) expect(line.userId).toBe(userId);
    const everything = api.logs.text();
    for (const secret of [ada.password, 'not the password at all', registerToken, changeToken]) expect(everything).not.toContain(secret);
  });
});
