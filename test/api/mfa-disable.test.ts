// Second factor, turning it off (disableTotp), and what does not turn it off (resetPassword).
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { currentCode, enrolled, loggedInWithMfa } from '../helpers/mfa.ts';
import { DisableTotp, Login, Me, MfaStatus, RequestPasswordReset, ResetPassword, ada } from '../helpers/operations.ts';
import { RESET_MAIL, resetTokenFrom } from '../helpers/smtp.ts';

describe('disableTotp', () => {
  it('with a current TOTP code turns MFA off, forgets the secret and codes, and ends the other sessions', async () => {
    const api = await createTestApp({}, { smtp: true });
    const { browser, secret } = await enrolled(api);
    const phone = await loggedInWithMfa(api, secret);
    api.clock.advanceSeconds(30);
    expect((await browser.gql(DisableTotp, { code: currentCode(api, secret) })).data).toEqual({ disableTotp: true });
    expect((await browser.gql(MfaStatus)).data?.me).toMatchObject({ mfaEnabled: false, recoveryCodesRemaining: 0 });
    expect((await phone.gql(Me)).data).toEqual({ me: null });
    expect(await api.prisma.recoveryCode.count()).toBe(0);
    expect(await api.prisma.totpAuthenticator.findFirst({ select: { secretCiphertext: true, secretKeyId: true } })).toEqual({
      secretCiphertext: null,
      secretKeyId: null,
    });
    // The password alone logs in again.
    expect(errorOf(await api.agent().gql(Login, ada))).toBeNull();
    const notice = await api.mailTo(ada.email, /^Two-factor authentication was turned off$/);
    expect(notice.text).toMatch(/Every other session of the account has been logged out/);
  });

  it('takes a recovery code too', async () => {
    const api = await createTestApp();
    const { browser, recoveryCodes } = await enrolled(api);
    expect((await browser.gql(DisableTotp, { code: recoveryCodes[9]! })).data).toEqual({ disableTotp: true });
    expect((await browser.gql(MfaStatus)).data?.me?.mfaEnabled).toBe(false);
  });

  it('refuses a wrong code (INVALID_CODE) and keeps MFA on; UNAUTHENTICATED without a session', async () => {
    const api = await createTestApp();
    const { browser, secret } = await enrolled(api);
    expect(errorOf(await browser.gql(DisableTotp, { code: '000000' }))).toEqual({ code: 'INVALID_CODE' });
    expect((await browser.gql(MfaStatus)).data?.me?.mfaEnabled).toBe(true);
    expect(errorOf(await api.agent().gql(DisableTotp, { code: currentCode(api, secret) }))).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('answers BAD_USER_INPUT on field code when MFA is not on', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    expect(errorOf(await browser.gql(DisableTotp, { code: '123456' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
  });
});

describe('resetPassword on an account with MFA on', () => {
  it('does not turn MFA off: the next login still asks for the second factor', async () => {
    const api = await createTestApp({}, { smtp: true });
    await enrolled(api);
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.mailTo(ada.email, RESET_MAIL));
    const newPassword = 'a fresh start phrase';
    expect((await api.gql(ResetPassword, { token, newPassword })).data).toEqual({ resetPassword: true });
    const browser = api.agent();
    expect(errorOf(await browser.gql(Login, { email: ada.email, password: newPassword }))).toEqual({
      code: 'MFA_REQUIRED',
      methods: ['TOTP', 'RECOVERY_CODE'],
    });
    expect(browser.cookie).toBeNull();
    expect((await api.prisma.totpAuthenticator.findFirst({ select: { enabledAt: true } }))?.enabledAt).not.toBeNull();
  });
});
