// OWASP's device cookies (Authentication Cheat Sheet): strangers' failures pause the account for
// strangers only. A browser the owner logged in from carries a device cookie; its attempts are
// counted per device, so the owner still logs in while an attacker keeps the account in back-off.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type Agent } from '../helpers/app.ts';
import { ChangePassword, Login, Me, Register, RequestPasswordReset, ResetPassword, ada, bob } from '../helpers/operations.ts';
import { resetTokenFrom } from '../helpers/smtp.ts';

const wrong = { email: ada.email, password: 'not the password' };
/** Each agent's own address counts: the service's per-IP limits stay as they ship. */
const behindProxy = { TRUST_PROXY: '1' };
const ownersBrowser = { userAgent: 'Owner Browser', ip: '203.0.113.9' };

async function driveIntoBackoff(attacker: Agent) {
  for (let i = 0; i < 5; i += 1) expect(errorOf(await attacker.gql(Login, wrong))).toEqual({ code: 'INVALID_CREDENTIALS' });
  expect(errorOf(await attacker.gql(Login, wrong))).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
}

describe('device cookies', () => {
  it('are set by a successful login: HttpOnly, SameSite=Strict, Path=/, over 179 days, stored only as a SHA-256', async () => {
    const api = await createTestApp(behindProxy, { defaultLimits: true });
    const owner = await api.signedIn(ownersBrowser);
    const header = owner.lastSetCookies.find((h) => h.startsWith('device='))!;
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Strict/i);
    expect(header).toMatch(/Path=\//);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(header)![1]!);
    expect(expires - Date.now()).toBeGreaterThan(179 * 86_400_000);
    const rows = await api.prisma.trustedDevice.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(owner.deviceCookie!).digest('hex'));
  });

  it("let the owner's browser log in with the right password while a stranger keeps the account in back-off", async () => {
    const api = await createTestApp(behindProxy, { defaultLimits: true });
    const owner = await api.signedIn(ownersBrowser);
    const attacker = api.agent('attacker', '198.51.100.1');
    await driveIntoBackoff(attacker);
    expect((await owner.gql(Login, ada)).data?.login.email).toBe(ada.email);
    expect((await owner.gql(Me)).data?.me?.email).toBe(ada.email);
    // A browser without one keeps today's rules.
    expect(errorOf(await api.agent('new laptop', '203.0.113.10').gql(Login, ada))).toEqual({
      code: 'RATE_LIMITED',
      retryAfter: expect.any(Number),
    });
  });

  it('count their own failures: a stolen device cookie without the password gains no session and its own back-off', async () => {
    const api = await createTestApp(behindProxy, { defaultLimits: true });
    const owner = await api.signedIn(ownersBrowser);
    const thief = api.agent('thief', '198.51.100.7');
    thief.deviceCookie = owner.deviceCookie;
    for (let i = 0; i < 5; i += 1) expect(errorOf(await thief.gql(Login, wrong))).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(errorOf(await thief.gql(Login, wrong))).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(thief.cookie).toBeNull();
    expect((await thief.gql(Me)).data?.me).toBeNull();
  });

  it("are bound to their account: ada's device cookie does not lift bob's back-off", async () => {
    const api = await createTestApp(behindProxy, { defaultLimits: true });
    const owner = await api.signedIn(ownersBrowser);
    const attacker = api.agent('attacker', '198.51.100.1');
    await api.agent('setup', '192.0.2.201').gql(Register, bob);
    for (let i = 0; i < 5; i += 1) await attacker.gql(Login, { email: bob.email, password: 'not bobs password' });
    expect(errorOf(await owner.gql(Login, bob))).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  });

  it('are rotated by each login, so a copy taken earlier stops counting as the device', async () => {
    const api = await createTestApp(behindProxy, { defaultLimits: true });
    const owner = await api.signedIn(ownersBrowser);
    const attacker = api.agent('attacker', '198.51.100.1');
    const copy = owner.deviceCookie;
    await owner.gql(Login, ada);
    expect(owner.deviceCookie).not.toBe(copy);
    await driveIntoBackoff(attacker);
    const thief = api.agent('thief', '198.51.100.7');
    thief.deviceCookie = copy;
    expect(errorOf(await thief.gql(Login, ada))).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  });
});

describe('the account-wide back-off', () => {
  it('is cleared by a completed resetPassword', async () => {
    const api = await createTestApp(behindProxy, { defaultLimits: true, smtp: true });
    await api.signedIn(ownersBrowser);
    const attacker = api.agent('attacker', '198.51.100.1');
    await driveIntoBackoff(attacker);
    const newBrowser = api.agent('new laptop', '203.0.113.10');
    await newBrowser.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.resetMailTo(ada.email));
    const newPassword = 'a reset clears the pause';
    expect((await newBrowser.gql(ResetPassword, { token, newPassword })).data).toEqual({ resetPassword: true });
    expect((await newBrowser.gql(Login, { email: ada.email, password: newPassword })).data?.login.email).toBe(ada.email);
  });

  it("counts changePassword's wrong current passwords like wrong logins", async () => {
    const api = await createTestApp({ ...behindProxy, RATE_LIMIT_CHANGE_PASSWORD_PER_ACCOUNT: '100/900' }, { defaultLimits: true });
    const owner = await api.signedIn(ownersBrowser);
    const stolenSession = api.agent('session thief', '198.51.100.8');
    stolenSession.cookie = owner.cookie;
    for (let i = 0; i < 5; i += 1) {
      expect(
        errorOf(await stolenSession.gql(ChangePassword, { currentPassword: `guess ${i} of many`, newPassword: 'whatever it takes' })),
      ).toEqual({ code: 'INVALID_CREDENTIALS' });
    }
    expect(
      errorOf(await stolenSession.gql(ChangePassword, { currentPassword: 'guess 6 of many', newPassword: 'whatever it takes' })),
    ).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(errorOf(await api.agent('stranger', '198.51.100.9').gql(Login, wrong))).toEqual({
      code: 'RATE_LIMITED',
      retryAfter: expect.any(Number),
    });
  });
});
