// Second factor, recovery codes (API.md): single use, counted in me.recoveryCodesRemaining, a
// notice mailed on each use, a new set voids the old one.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { challenged, currentCode, enrolled, loggedInWithMfa } from '../helpers/mfa.ts';
import { DisableTotp, MfaStatus, RegenerateRecoveryCodes, VerifyMfa, ada } from '../helpers/operations.ts';

describe('a recovery code', () => {
  it('completes a login once, as typed by a person (any case, spaces for dashes)', async () => {
    const api = await createTestApp();
    const { recoveryCodes } = await enrolled(api);
    const typed = recoveryCodes[0]!.toLowerCase().replace(/-/g, ' ');
    const browser = await loggedInWithMfa(api, '', typed);
    expect((await browser.gql(MfaStatus)).data?.me).toMatchObject({ mfaEnabled: true, recoveryCodesRemaining: 9 });
    expect(errorOf(await (await challenged(api)).gql(VerifyMfa, { code: recoveryCodes[0]! }))).toEqual({ code: 'INVALID_CODE' });
    expect(errorOf(await (await challenged(api)).gql(VerifyMfa, { code: recoveryCodes[1]! }))).toBeNull();
  });

  it('mails a notice with how many remain', async () => {
    const api = await createTestApp({}, { smtp: true });
    const { recoveryCodes } = await enrolled(api);
    await loggedInWithMfa(api, '', recoveryCodes[3]!);
    const mail = await api.mailTo(ada.email, /^A recovery code was used$/);
    expect(mail.text).toMatch(/9 unused recovery codes remain/);
    expect(mail.text).not.toContain(recoveryCodes[3]!);
  });

  it('used by 20 concurrent verifyMfa on one challenge starts exactly one session', async () => {
    const api = await createTestApp();
    const { recoveryCodes } = await enrolled(api);
    const browser = await challenged(api);
    const results = await Promise.all(Array.from({ length: 20 }, () => browser.gql(VerifyMfa, { code: recoveryCodes[0]! })));
    expect(results.filter((result) => errorOf(result) === null)).toHaveLength(1);
    expect(await api.prisma.session.count()).toBe(2);
    expect(await api.prisma.recoveryCode.count({ where: { usedAt: { not: null } } })).toBe(1);
  });

  it('of another account is INVALID_CODE', async () => {
    const api = await createTestApp();
    const bob = { email: 'bob@example.com', password: 'tr0ub4dor & 3 more' };
    const { recoveryCodes: bobsCodes } = await enrolled(api, bob);
    await enrolled(api);
    expect(errorOf(await (await challenged(api)).gql(VerifyMfa, { code: bobsCodes[0]! }))).toEqual({ code: 'INVALID_CODE' });
  });
});

describe('regenerateRecoveryCodes', () => {
  it('with a current TOTP code gives 10 new codes and voids the old ones', async () => {
    const api = await createTestApp();
    const { browser, secret, recoveryCodes } = await enrolled(api);
    await loggedInWithMfa(api, '', recoveryCodes[0]!);
    const result = await browser.gql(RegenerateRecoveryCodes, { code: currentCode(api, secret) });
    const fresh = result.data!.regenerateRecoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => recoveryCodes.includes(code))).toEqual([]);
    expect((await browser.gql(MfaStatus)).data?.me?.recoveryCodesRemaining).toBe(10);
    expect(errorOf(await (await challenged(api)).gql(VerifyMfa, { code: recoveryCodes[1]! }))).toEqual({ code: 'INVALID_CODE' });
    expect(errorOf(await (await challenged(api)).gql(VerifyMfa, { code: fresh[0]! }))).toBeNull();
  });

  it('asks for a TOTP code: a recovery code is BAD_USER_INPUT, a wrong code INVALID_CODE, and the codes stay', async () => {
    const api = await createTestApp();
    const { browser, recoveryCodes } = await enrolled(api);
    expect(errorOf(await browser.gql(RegenerateRecoveryCodes, { code: recoveryCodes[0]! }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'code',
    });
    expect(errorOf(await browser.gql(RegenerateRecoveryCodes, { code: '000000' }))).toEqual({ code: 'INVALID_CODE' });
    expect((await browser.gql(MfaStatus)).data?.me?.recoveryCodesRemaining).toBe(10);
  });

  it('needs a session and MFA on', async () => {
    const api = await createTestApp();
    expect(errorOf(await api.gql(RegenerateRecoveryCodes, { code: '123456' }))).toEqual({ code: 'UNAUTHENTICATED' });
    const browser = await api.signedIn();
    expect(errorOf(await browser.gql(RegenerateRecoveryCodes, { code: '123456' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
  });

  it('does not take a code that was already used', async () => {
    const api = await createTestApp();
    const { browser, secret } = await enrolled(api);
    const code = currentCode(api, secret);
    expect(errorOf(await browser.gql(RegenerateRecoveryCodes, { code }))).toBeNull();
    expect(errorOf(await browser.gql(RegenerateRecoveryCodes, { code }))).toEqual({ code: 'INVALID_CODE' });
    expect(errorOf(await browser.gql(DisableTotp, { code }))).toEqual({ code: 'INVALID_CODE' });
  });
});
