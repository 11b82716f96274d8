// Second factor, enrolment (API.md, "Second factor"): startTotpEnrollment → confirmTotpEnrollment.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { currentCode, enrolled } from '../helpers/mfa.ts';
import { ConfirmTotpEnrollment, Me, MfaStatus, StartTotpEnrollment, ada } from '../helpers/operations.ts';

describe('startTotpEnrollment', () => {
  it('gives a 160-bit base32 secret and an otpauth URI for it, and changes nothing yet', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const result = await browser.gql(StartTotpEnrollment, { currentPassword: ada.password });
    const { secret, uri } = result.data!.startTotpEnrollment;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const parsed = new URL(uri);
    expect(`${parsed.protocol}//${parsed.host}${decodeURIComponent(parsed.pathname)}`).toBe('otpauth://totp/Auth API:ada@example.com');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({ secret, issuer: 'Auth API', algorithm: 'SHA1', digits: '6', period: '30' });
    expect((await browser.gql(MfaStatus)).data?.me).toMatchObject({ mfaEnabled: false, recoveryCodesRemaining: 0 });
  });

  it('asks for the current password: INVALID_CREDENTIALS for a wrong one, UNAUTHENTICATED without a session', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    expect(errorOf(await browser.gql(StartTotpEnrollment, { currentPassword: 'not my password' }))).toEqual({
      code: 'INVALID_CREDENTIALS',
    });
    expect(errorOf(await api.agent().gql(StartTotpEnrollment, { currentPassword: ada.password }))).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('replaces an unconfirmed enrollment: only the newest secret confirms', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const first = (await browser.gql(StartTotpEnrollment, { currentPassword: ada.password })).data!.startTotpEnrollment.secret;
    const second = (await browser.gql(StartTotpEnrollment, { currentPassword: ada.password })).data!.startTotpEnrollment.secret;
    expect(second).not.toBe(first);
    expect(errorOf(await browser.gql(ConfirmTotpEnrollment, { code: currentCode(api, first) }))).toEqual({ code: 'INVALID_CODE' });
    expect((await browser.gql(ConfirmTotpEnrollment, { code: currentCode(api, second) })).data?.confirmTotpEnrollment).toHaveLength(10);
  });
});

describe('confirmTotpEnrollment', () => {
  it('turns MFA on with the first valid code and returns 10 recovery codes, shown once', async () => {
    const api = await createTestApp();
    const { browser, recoveryCodes } = await enrolled(api);
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Za-z0-9-]{10,}$/);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await browser.gql(MfaStatus)).data?.me).toMatchObject({ mfaEnabled: true, recoveryCodesRemaining: 10 });
  });

  it("ends the user's other sessions and keeps this one", async () => {
    const api = await createTestApp();
    const phone = await api.signedIn({ userAgent: 'phone' });
    const { browser } = await enrolled(api);
    expect((await browser.gql(Me)).data?.me?.email).toBe(ada.email);
    expect((await phone.gql(Me)).data).toEqual({ me: null });
  });

  it('refuses a wrong code with INVALID_CODE and a malformed one as BAD_USER_INPUT on field code', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    await browser.gql(StartTotpEnrollment, { currentPassword: ada.password });
    expect(errorOf(await browser.gql(ConfirmTotpEnrollment, { code: '000000' }))).toEqual({ code: 'INVALID_CODE' });
    expect(errorOf(await browser.gql(ConfirmTotpEnrollment, { code: 'abc' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
    expect((await browser.gql(MfaStatus)).data?.me?.mfaEnabled).toBe(false);
  });

  it('confirms once when 10 requests race with one code: one set of recovery codes', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const { secret } = (await browser.gql(StartTotpEnrollment, { currentPassword: ada.password })).data!.startTotpEnrollment;
    const code = currentCode(api, secret);
    const results = await Promise.all(Array.from({ length: 10 }, () => browser.gql(ConfirmTotpEnrollment, { code })));
    // One answer each, so that a failure shows what the others got. Exactly one confirms. A loser
    // answers INVALID_CODE when it lost inside the conditional update, or, when it read the
    // enrollment only after the winner committed, BAD_USER_INPUT (nothing is pending any more):
    // which one depends on the interleaving, and neither confirms anything.
    const answers = results.map((result) => errorOf(result)?.code ?? 'confirmed');
    expect(answers.filter((answer) => answer === 'confirmed')).toEqual(['confirmed']);
    expect(
      answers.filter((answer) => answer !== 'confirmed').every((answer) => answer === 'INVALID_CODE' || answer === 'BAD_USER_INPUT'),
    ).toBe(true);
    expect(await api.prisma.recoveryCode.count()).toBe(10);
  });

  it('without a started enrollment: BAD_USER_INPUT on field code', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    expect(errorOf(await browser.gql(ConfirmTotpEnrollment, { code: '123456' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
  });

  it('mails a notice that MFA was turned on', async () => {
    const api = await createTestApp({}, { smtp: true });
    await enrolled(api);
    const mail = await api.mailTo(ada.email, /^Two-factor authentication was turned on$/);
    expect(mail.text).toMatch(/Every other session of the account has been logged out/);
  });
});
