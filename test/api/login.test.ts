import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { Login, Me, Register, ada, bob } from '../helpers/operations.ts';
import { productionEnv } from '../helpers/production.ts';

describe('login', () => {
  it('sets one HttpOnly, SameSite=Lax, Path=/ session cookie, not Secure outside production, beside the device cookie', async () => {
    const api = await createTestApp();
    await api.gql(Register, ada);
    const result = await api.gql(Login, ada);
    expect(result.data?.login).toMatchObject({ email: ada.email });
    const cookies = result.headers.getSetCookie();
    expect(cookies.map((cookie) => cookie.slice(0, cookie.indexOf('=')))).toEqual(['session', 'device']);
    const attributes = cookies[0]!.split(';').map((part) => part.trim());
    expect(attributes[0]).toMatch(/^session=[A-Za-z0-9_-]{43}$/);
    expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax']));
    expect(attributes).not.toContain('Secure');
    const expires = new Date(attributes.find((a) => a.startsWith('Expires='))!.slice('Expires='.length));
    expect(expires.getTime()).toBe(Math.floor((api.clock.now().getTime() + 30 * 86400_000) / 1000) * 1000);
  });

  it('names the cookies __Host-session and __Host-device, Secure, when NODE_ENV=production, and reads them back', async () => {
    const api = await createTestApp(productionEnv);
    await api.gql(Register, ada);
    const cookies = (await api.gql(Login, ada)).headers.getSetCookie();
    expect(cookies.map((cookie) => cookie.slice(0, cookie.indexOf('=')))).toEqual(['__Host-session', '__Host-device']);
    for (const cookie of cookies) {
      const attributes = cookie.split(';').map((p) => p.trim());
      expect(attributes).toEqual(expect.arrayContaining(['Secure', 'Path=/', 'HttpOnly']));
      expect(attributes.some((a) => /^Domain=/i.test(a))).toBe(false);
    }
    expect((await api.gql(Me)).data?.me?.email).toBe(ada.email);
    // The same token under the plain name, as a sibling subdomain or plain http could plant it, is not read.
    const planted = api.agent();
    planted.cookie = api.main.cookie; // an empty jar stores it as `session`
    expect((await planted.gql(Me)).data?.me).toBeNull();
  });

  it('keeps only the SHA-256 of the token in the database', async () => {
    const api = await createTestApp();
    const token = (await api.signedIn()).cookie!;
    const rows = await api.prisma.session.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('accepts the email with capitals and spaces, logging in the account it normalises to', async () => {
    const api = await createTestApp();
    await api.gql(Register, ada);
    const result = await api.gql(Login, { email: '  ADA@Example.com  ', password: ada.password });
    expect(errorOf(result)).toBeNull();
    expect(result.data?.login.email).toBe(ada.email);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const api = await createTestApp();
    await api.gql(Register, ada);
    const wrong = await api.gql(Login, { email: ada.email, password: 'wrong horse battery' });
    const unknown = await api.gql(Login, { email: 'nobody@example.com', password: 'wrong horse battery' });
    expect(errorOf(wrong)).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(unknown.errors).toEqual(wrong.errors);
    expect(unknown.status).toBe(wrong.status);
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('never lets two passwords that share their first 72 bytes both verify', async () => {
    const api = await createTestApp();
    const prefix = 'x'.repeat(72);
    await api.gql(Register, { email: ada.email, password: `${prefix}-first` });
    expect(errorOf(await api.gql(Login, { email: ada.email, password: `${prefix}-second` }))).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(errorOf(await api.gql(Login, { email: ada.email, password: `${prefix}-first` }))).toBeNull();
  });

  it('always starts a new session and ends the one the request carried (no fixation)', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const first = browser.cookie!;
    await browser.gql(Login, ada);
    const second = browser.cookie!;
    expect(second).not.toBe(first);
    expect(await api.prisma.session.count()).toBe(1);
    const stale = api.agent();
    stale.cookie = first;
    expect((await stale.gql(Me)).data).toEqual({ me: null });
  });

  it('ends a carried session of another user too when someone logs in over it', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn(ada);
    await api.gql(Register, bob);
    await browser.gql(Login, bob);
    expect((await browser.gql(Me)).data?.me?.email).toBe(bob.email);
    expect(await api.prisma.session.count()).toBe(1);
  });

  it('keeps at most MAX_SESSIONS_PER_USER live sessions, ending the oldest', async () => {
    const api = await createTestApp({ MAX_SESSIONS_PER_USER: '3' });
    const devices = [];
    for (const userAgent of ['one', 'two', 'three', 'four']) {
      devices.push(await api.signedIn({ userAgent }));
      api.clock.advanceSeconds(1);
    }
    expect(await api.prisma.session.count()).toBe(3);
    expect((await devices[0]!.gql(Me)).data).toEqual({ me: null });
    for (const device of devices.slice(1)) expect((await device.gql(Me)).data?.me).not.toBeNull();
  });

  it('refuses an empty password as BAD_USER_INPUT on field password', async () => {
    const api = await createTestApp();
    const result = await api.gql(Login, { email: ada.email, password: '' });
    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });
  });
});
