// Second factor, the two-step login (API.md, "Second factor"): login answers MFA_REQUIRED with a
// challenge cookie, verifyMfa completes it. Replay protection on any path, also under concurrency.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { challenged, currentCode, enrolled, loggedInWithMfa } from '../helpers/mfa.ts';
import { productionEnv } from '../helpers/production.ts';
import { ChangePassword, ConfirmTotpEnrollment, Login, Me, StartTotpEnrollment, VerifyMfa, ada } from '../helpers/operations.ts';

describe('login on an account with MFA on', () => {
  it('answers MFA_REQUIRED with the methods, and sets only an HttpOnly challenge cookie', async () => {
    const api = await createTestApp();
    await enrolled(api);
    const browser = api.agent();
    const result = await browser.gql(Login, ada);
    expect(result.data).toBeNull();
    expect(errorOf(result)).toEqual({ code: 'MFA_REQUIRED', methods: ['TOTP', 'RECOVERY_CODE'] });
    expect(browser.cookie).toBeNull();
    expect(browser.lastSetCookies).toHaveLength(1);
    const [cookie] = browser.lastSetCookies;
    expect(cookie).toMatch(/^mfa-challenge=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const expires = new Date(/Expires=([^;]+)/i.exec(cookie!)![1]!);
    expect(expires.getTime() - api.clock.now().getTime()).toBe(5 * 60 * 1000 - (api.clock.now().getTime() % 1000));
    expect((await browser.gql(Me)).data).toEqual({ me: null });
    expect(await api.prisma.mfaChallenge.findMany({ select: { tokenHash: true } })).toEqual([
      { tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });

  it('still answers a wrong password with INVALID_CREDENTIALS, and sets no cookie', async () => {
    const api = await createTestApp();
    await enrolled(api);
    const browser = api.agent();
    expect(errorOf(await browser.gql(Login, { email: ada.email, password: 'not my password' }))).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(browser.lastSetCookies).toEqual([]);
  });

  it('names the cookie __Host-mfa-challenge, Secure, in production', async () => {
    const api = await createTestApp(productionEnv);
    await enrolled(api);
    const browser = api.agent();
    await browser.gql(Login, ada);
    expect(browser.lastSetCookies).toEqual([expect.stringMatching(/^__Host-mfa-challenge=.*; Secure/i)]);
  });
});

describe('verifyMfa', () => {
  it('with the current TOTP code sets the session and device cookies and answers the user', async () => {
    const api = await createTestApp();
    const { secret } = await enrolled(api);
    const browser = await challenged(api);
    const result = await browser.gql(VerifyMfa, { code: currentCode(api, secret) });
    expect(errorOf(result)).toBeNull();
    expect(result.data?.verifyMfa).toMatchObject({ email: ada.email });
    expect(browser.cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.deviceCookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.lastSetCookies.find((c) => c.startsWith('mfa-challenge='))).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await browser.gql(Me)).data?.me?.email).toBe(ada.email);
  });

  it('accepts the code of the step before and after, not two steps away', async () => {
    const api = await createTestApp();
    const { secret } = await enrolled(api);
    api.clock.advanceSeconds(30);
    const now = api.clock.now().getTime();
    const at = (offsetSteps: number) => currentCode({ clock: { now: () => new Date(now + offsetSteps * 30_000) } } as never, secret);
    const twoBefore = at(-2);
    const before = at(-1);
    const after = at(1);
    const browser = await challenged(api);
    expect(errorOf(await browser.gql(VerifyMfa, { code: twoBefore }))).toEqual({ code: 'INVALID_CODE' });
    expect(errorOf(await browser.gql(VerifyMfa, { code: before }))).toBeNull();
    expect(errorOf(await (await challenged(api)).gql(VerifyMfa, { code: after }))).toBeNull();
  });

  it('without a live challenge answers UNAUTHENTICATED: none, expired after 5 minutes, or used', async () => {
    const api = await createTestApp();
    const { secret } = await enrolled(api);
    expect(errorOf(await api.agent().gql(VerifyMfa, { code: currentCode(api, secret) }))).toEqual({ code: 'UNAUTHENTICATED' });

    const late = await challenged(api);
    api.clock.advanceSeconds(5 * 60);
    expect(errorOf(await late.gql(VerifyMfa, { code: currentCode(api, secret) }))).toEqual({ code: 'UNAUTHENTICATED' });

    const browser = await challenged(api);
    const challengeCookie = browser.lastSetCookies[0]!.split(';')[0]!;
    expect(errorOf(await browser.gql(VerifyMfa, { code: currentCode(api, secret) }))).toBeNull();
    api.clock.advanceSeconds(30);
    // The used challenge cookie, as a copy taken before it was cleared would still hold it.
    const response = await api.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: challengeCookie },
      body: JSON.stringify({
        query: 'mutation($code: String!) { verifyMfa(code: $code) { id } }',
        variables: { code: currentCode(api, secret) },
      }),
    });
    expect(errorOf((await response.json()) as never)).toEqual({ code: 'UNAUTHENTICATED' });
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('leaves expired challenges to the periodic sweep', async () => {
    const api = await createTestApp();
    await enrolled(api);
    await challenged(api);
    expect((await api.housekeeping.run()).removed['mfa challenges expired']).toBe(0);
    api.clock.advanceSeconds(5 * 60);
    expect((await api.housekeeping.run()).removed['mfa challenges expired']).toBe(1);
    expect(await api.prisma.mfaChallenge.count()).toBe(0);
  });

  it('refuses a malformed code as BAD_USER_INPUT on field code, before spending anything', async () => {
    const api = await createTestApp();
    await enrolled(api);
    const browser = await challenged(api);
    expect(errorOf(await browser.gql(VerifyMfa, { code: '12345' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
    expect(await api.prisma.mfaChallenge.findMany({ select: { attempts: true } })).toEqual([{ attempts: 0 }]);
  });

  it('answers UNAUTHENTICATED when the password changed after it earned the challenge', async () => {
    const api = await createTestApp();
    const { browser: signedIn, secret } = await enrolled(api);
    const browser = await challenged(api);
    await signedIn.gql(ChangePassword, { currentPassword: ada.password, newPassword: 'a brand new passphrase' });
    expect(errorOf(await browser.gql(VerifyMfa, { code: currentCode(api, secret) }))).toEqual({ code: 'UNAUTHENTICATED' });
    expect(browser.cookie).toBeNull();
  });

  it('answers ACCOUNT_DISABLED, only for the right code, when the account was disabled after the password', async () => {
    const api = await createTestApp();
    const { secret } = await enrolled(api);
    const browser = await challenged(api);
    await api.prisma.user.update({ where: { email: ada.email }, data: { disabled: true } });
    expect(errorOf(await browser.gql(VerifyMfa, { code: '000000' }))).toEqual({ code: 'INVALID_CODE' });
    expect(errorOf(await browser.gql(VerifyMfa, { code: currentCode(api, secret) }))).toEqual({ code: 'ACCOUNT_DISABLED' });
    expect(browser.cookie).toBeNull();
    // And the first step of a disabled account says so before any challenge.
    expect(errorOf(await api.agent().gql(Login, ada))).toEqual({ code: 'ACCOUNT_DISABLED' });
  });

  it('changePassword on an MFA account still needs only the current password', async () => {
    const api = await createTestApp();
    const { secret } = await enrolled(api);
    const browser = await loggedInWithMfa(api, secret);
    const result = await browser.gql(ChangePassword, { currentPassword: ada.password, newPassword: 'a brand new passphrase' });
    expect(result.data).toEqual({ changePassword: true });
  });
});

describe('replay protection', () => {
  it('accepts a code once: the same code again, on a new challenge, is INVALID_CODE', async () => {
    const api = await createTestApp();
    const { secret } = await enrolled(api);
    const code = currentCode(api, secret);
    await loggedInWithMfa(api, secret, code);
    const again = await challenged(api);
    expect(errorOf(await again.gql(VerifyMfa, { code }))).toEqual({ code: 'INVALID_CODE' });
    api.clock.advanceSeconds(30);
    expect(errorOf(await again.gql(VerifyMfa, { code: currentCode(api, secret) }))).toBeNull();
  });

  it('never accepts again the code that confirmed the enrollment', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const { secret } = (await browser.gql(StartTotpEnrollment, { currentPassword: ada.password })).data!.startTotpEnrollment;
    const code = currentCode(api, secret);
    await browser.gql(ConfirmTotpEnrollment, { code });
    expect(errorOf(await (await challenged(api)).gql(VerifyMfa, { code }))).toEqual({ code: 'INVALID_CODE' });
  });

  it('20 concurrent verifyMfa with one code, each on its own challenge, start exactly one session', async () => {
    const api = await createTestApp();
    const { browser: enrolledBrowser, secret } = await enrolled(api);
    // Logged in one after the other: concurrent logins would be paused by the password back-off.
    const browsers = [];
    for (let i = 0; i < 20; i += 1) browsers.push(await challenged(api));
    const code = currentCode(api, secret);
    const results = await Promise.all(browsers.map((browser) => browser.gql(VerifyMfa, { code })));
    expect(results.filter((result) => errorOf(result) === null)).toHaveLength(1);
    expect(browsers.filter((browser) => browser.cookie !== null)).toHaveLength(1);
    // The enrolling browser's session, and the one new session.
    expect(await api.prisma.session.count()).toBe(2);
    expect(enrolledBrowser.cookie).not.toBeNull();
  });

  it('20 concurrent verifyMfa with one code on one challenge start exactly one session', async () => {
    const api = await createTestApp();
    const { secret } = await enrolled(api);
    const browser = await challenged(api);
    const code = currentCode(api, secret);
    const results = await Promise.all(Array.from({ length: 20 }, () => browser.gql(VerifyMfa, { code })));
    expect(results.filter((result) => errorOf(result) === null)).toHaveLength(1);
    expect(await api.prisma.session.count()).toBe(2);
  });
});
