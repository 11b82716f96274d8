// Passkeys (API.md, "Passkeys"): a logged-in user registers one with a (software) authenticator,
// anyone logs in with it without a password, and every response that does not verify, or that
// answers a challenge not its own, live and unused, is refused as INVALID_CREDENTIALS.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type Agent, type TestApp } from '../helpers/app.ts';
import {
  DeleteAccount,
  DisableUser,
  LoginWithPasskey,
  Me,
  PasskeyLoginOptions,
  PasskeyRegistrationOptions,
  Passkeys,
  RegisterPasskey,
  RemovePasskey,
  Sessions,
  ada,
  bob,
} from '../helpers/operations.ts';
import { signedInAdmin } from '../helpers/admin.ts';
import { productionEnv } from '../helpers/production.ts';
import { SoftwareAuthenticator, type AssertionOverrides, type CeremonyOverrides } from '../helpers/software-authenticator.ts';

interface CreationOptions {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string };
  pubKeyCredParams: Array<{ alg: number }>;
  authenticatorSelection: Record<string, unknown>;
  attestation: string;
  excludeCredentials: Array<{ id: string }>;
}

async function registrationOptions(browser: Agent): Promise<CreationOptions> {
  const result = await browser.gql(PasskeyRegistrationOptions);
  if (!result.data) throw new Error(`passkeyRegistrationOptions refused: ${JSON.stringify(errorOf(result))}`);
  return result.data.passkeyRegistrationOptions as CreationOptions;
}

/** The whole registration ceremony of `browser`'s user on `authenticator`; the result of registerPasskey. */
async function addPasskey(browser: Agent, authenticator: SoftwareAuthenticator, overrides: CeremonyOverrides = {}, name = 'Laptop') {
  const response = authenticator.create(await registrationOptions(browser), overrides);
  return browser.gql(RegisterPasskey, { response, name });
}

async function loginOptions(browser: Agent): Promise<{ challenge: string; rpId: string }> {
  const result = await browser.gql(PasskeyLoginOptions);
  if (!result.data) throw new Error(`passkeyLoginOptions refused: ${JSON.stringify(errorOf(result))}`);
  return result.data.passkeyLoginOptions as { challenge: string; rpId: string };
}

/** A fresh browser's whole login ceremony; the browser and the result of loginWithPasskey. */
async function loginWith(api: TestApp, authenticator: SoftwareAuthenticator, overrides: AssertionOverrides = {}) {
  const browser = api.agent('passkey-browser');
  const response = authenticator.get(await loginOptions(browser), overrides);
  return { browser, result: await browser.gql(LoginWithPasskey, { response }) };
}

/** Ada, signed in, with one passkey on a new authenticator. */
async function adaWithPasskey(api: TestApp, authenticatorOptions?: ConstructorParameters<typeof SoftwareAuthenticator>[0]) {
  const browser = await api.signedIn();
  const authenticator = new SoftwareAuthenticator(authenticatorOptions);
  const registered = await addPasskey(browser, authenticator);
  expect(errorOf(registered)).toBeNull();
  return { browser, authenticator, passkey: registered.data!.registerPasskey };
}

describe('passkey registration', () => {
  it('offers strict options: resident key and user verification required, attestation none, ES256/EdDSA/RS256', async () => {
    const api = await createTestApp();
    expect(errorOf(await api.gql(PasskeyRegistrationOptions))).toEqual({ code: 'UNAUTHENTICATED' });
    const browser = await api.signedIn();
    const options = await registrationOptions(browser);
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Auth API' },
      user: { name: ada.email },
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
      excludeCredentials: [],
      timeout: 300_000,
    });
    expect(options.pubKeyCredParams.map((p) => p.alg)).toEqual([-7, -8, -257]);
    expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(32);
    // The user handle is the account's id, never its address.
    expect(Buffer.from(options.user.id, 'base64url').toString()).toBe(browser.user.id);
  });

  it('stores the passkey, lists it, and excludes it from the next options', async () => {
    const api = await createTestApp();
    const { browser, passkey } = await adaWithPasskey(api);
    expect(passkey).toMatchObject({ name: 'Laptop', lastUsedAt: null });
    expect((await browser.gql(Passkeys)).data?.passkeys).toEqual([passkey]);
    const stored = await api.prisma.passkey.findFirstOrThrow();
    expect((await registrationOptions(browser)).excludeCredentials).toEqual([
      expect.objectContaining({ id: stored.credentialId, transports: ['internal'] }),
    ]);
    expect(errorOf(await api.gql(Passkeys))).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('keeps several ceremonies of one session in flight', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const authenticator = new SoftwareAuthenticator();
    const first = await registrationOptions(browser);
    const second = await registrationOptions(browser);
    expect(errorOf(await browser.gql(RegisterPasskey, { response: authenticator.create(second), name: 'B' }))).toBeNull();
    api.clock.advanceSeconds(1);
    expect(errorOf(await browser.gql(RegisterPasskey, { response: authenticator.create(first), name: 'A' }))).toBeNull();
    expect((await browser.gql(Passkeys)).data?.passkeys.map((p) => p.name)).toEqual(['B', 'A']);
  });

  it.each<[string, CeremonyOverrides]>([
    ['without the user-verified flag', { userVerified: false }],
    ['from another origin', { origin: 'https://evil.example' }],
    ['for another RP ID', { rpId: 'evil.example' }],
  ])('refuses a response %s', async (_case, overrides) => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    expect(errorOf(await addPasskey(browser, new SoftwareAuthenticator(), overrides))).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(await api.prisma.passkey.count()).toBe(0);
  });

  it('refuses a challenge used once already, expired, or handed to another session', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const authenticator = new SoftwareAuthenticator();
    const options = await registrationOptions(browser);
    expect(errorOf(await browser.gql(RegisterPasskey, { response: authenticator.create(options) }))).toBeNull();
    expect(errorOf(await browser.gql(RegisterPasskey, { response: authenticator.create(options) }))).toEqual({
      code: 'INVALID_CREDENTIALS',
    });

    const expiring = await registrationOptions(browser);
    api.clock.advanceSeconds(5 * 60 + 1);
    expect(errorOf(await browser.gql(RegisterPasskey, { response: authenticator.create(expiring) }))).toEqual({
      code: 'INVALID_CREDENTIALS',
    });

    // Ada's other session, and Bob, cannot answer the options this session asked for.
    const phone = await api.signedIn({ userAgent: 'phone' });
    const mallory = await api.signedIn(bob);
    const stolen = await registrationOptions(browser);
    const response = authenticator.create(stolen);
    expect(errorOf(await phone.gql(RegisterPasskey, { response }))).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(errorOf(await mallory.gql(RegisterPasskey, { response }))).toEqual({ code: 'INVALID_CREDENTIALS' });
    // Refused without being spent: the session it belongs to still completes it.
    expect(errorOf(await browser.gql(RegisterPasskey, { response }))).toBeNull();
  });

  it('answers a malformed response and an overlong name as BAD_USER_INPUT', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    for (const response of [{}, 'text', [1, 2], { id: 'x', rawId: 'x', type: 'public-key', response: {} }]) {
      expect(errorOf(await browser.gql(RegisterPasskey, { response })), JSON.stringify(response)).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'response',
      });
    }
    const response = new SoftwareAuthenticator().create(await registrationOptions(browser));
    expect(errorOf(await browser.gql(RegisterPasskey, { response, name: 'n'.repeat(65) }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'name',
    });
    expect(errorOf(await browser.gql(RegisterPasskey, { response: { padding: 'x'.repeat(20_000) } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'response',
    });
  });

  it('holds at most 10 passkeys per user', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const authenticator = new SoftwareAuthenticator();
    for (let i = 0; i < 10; i += 1) expect(errorOf(await addPasskey(browser, authenticator, {}, `key ${i}`))).toBeNull();
    expect(errorOf(await browser.gql(PasskeyRegistrationOptions))).toEqual({ code: 'BAD_USER_INPUT', field: 'response' });
    expect((await browser.gql(PasskeyRegistrationOptions)).errors?.[0]?.message).toMatch(/10 passkeys/);
    expect(await api.prisma.passkey.count()).toBe(10);
  });

  it('holds the cap when registrations race from options taken before it was reached', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const authenticator = new SoftwareAuthenticator();
    for (let i = 0; i < 9; i += 1) expect(errorOf(await addPasskey(browser, authenticator))).toBeNull();
    const pending = [await registrationOptions(browser), await registrationOptions(browser), await registrationOptions(browser)];
    const results = await Promise.all(pending.map((options) => browser.gql(RegisterPasskey, { response: authenticator.create(options) })));
    expect(results.filter((r) => errorOf(r) === null)).toHaveLength(1);
    expect(results.map(errorOf).filter((e) => e !== null)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'response' },
      { code: 'BAD_USER_INPUT', field: 'response' },
    ]);
    expect(await api.prisma.passkey.count()).toBe(10);
  });
});

describe('passkey login', () => {
  it('starts a session with a discoverable credential, like a password login, with no MFA asked', async () => {
    const api = await createTestApp();
    const { authenticator, passkey } = await adaWithPasskey(api);
    const options = await loginOptions(api.agent());
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required', timeout: 300_000 });
    expect(options).not.toHaveProperty('allowCredentials.0');
    const { browser, result } = await loginWith(api, authenticator);
    expect(errorOf(result)).toBeNull();
    expect(result.data?.loginWithPasskey).toEqual({ id: expect.any(String), email: ada.email });
    expect(browser.cookie).not.toBeNull();
    expect(browser.deviceCookie).not.toBeNull();
    expect((await browser.gql(Me)).data?.me).toMatchObject({ email: ada.email });
    expect((await browser.gql(Sessions)).data?.sessions).toHaveLength(2);
    const [listed] = (await browser.gql(Passkeys)).data!.passkeys;
    expect(listed).toMatchObject({ id: passkey.id, lastUsedAt: expect.any(String) });
    expect(api.logs.lines.some((line) => line.event === 'login' && line.outcome === 'success' && line.method === 'passkey')).toBe(true);
  });

  it('sets the login-challenge cookie HttpOnly and SameSite=Strict, __Host- in production', async () => {
    for (const [env, name] of [
      [{}, 'passkey-login'],
      [productionEnv, '__Host-passkey-login'],
    ] as const) {
      const api = await createTestApp(env);
      const browser = api.agent();
      await loginOptions(browser);
      const [cookie] = browser.lastSetCookies;
      expect(cookie).toMatch(new RegExp(`^${name}=[A-Za-z0-9_-]{43}; Path=/;`));
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      if (name.startsWith('__Host-')) expect(cookie).toMatch(/; Secure/);
      // It lives as long as the challenges it binds: 5 minutes.
      const expires = Date.parse(/Expires=([^;]+)/.exec(cookie!)![1]!);
      expect(Math.round((expires - api.clock.now().getTime()) / 1000)).toBeLessThanOrEqual(300);
    }
  });

  it('keeps several login ceremonies of one browser in flight', async () => {
    const api = await createTestApp();
    const { authenticator } = await adaWithPasskey(api);
    const browser = api.agent();
    const first = await loginOptions(browser);
    const second = await loginOptions(browser);
    expect(errorOf(await browser.gql(LoginWithPasskey, { response: authenticator.get(second) }))).toBeNull();
    expect(errorOf(await browser.gql(LoginWithPasskey, { response: authenticator.get(first) }))).toBeNull();
  });

  it.each<[string, AssertionOverrides]>([
    ['without the user-verified flag', { userVerified: false }],
    ['from another origin', { origin: 'https://evil.example' }],
    ['for another RP ID', { rpId: 'evil.example' }],
    ['with a bad signature', { badSignature: true }],
  ])('refuses an assertion %s', async (_case, overrides) => {
    const api = await createTestApp();
    const { authenticator } = await adaWithPasskey(api);
    const { browser, result } = await loginWith(api, authenticator, overrides);
    expect(errorOf(result)).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(browser.cookie).toBeNull();
  });

  it('refuses a used challenge, an expired one, and one handed to another browser', async () => {
    const api = await createTestApp();
    const { authenticator } = await adaWithPasskey(api);
    const browser = api.agent();
    const options = await loginOptions(browser);
    expect(errorOf(await browser.gql(LoginWithPasskey, { response: authenticator.get(options) }))).toBeNull();
    expect(errorOf(await browser.gql(LoginWithPasskey, { response: authenticator.get(options) }))).toEqual({ code: 'INVALID_CREDENTIALS' });

    const expiring = await loginOptions(browser);
    api.clock.advanceSeconds(5 * 60 + 1);
    expect(errorOf(await browser.gql(LoginWithPasskey, { response: authenticator.get(expiring) }))).toEqual({
      code: 'INVALID_CREDENTIALS',
    });

    // An assertion over the challenge of another browser (phished, or replayed) does not log in
    // the browser that sends it, with or without a challenge cookie of its own.
    const victim = api.agent('victim');
    const response = authenticator.get(await loginOptions(victim));
    const attacker = api.agent('attacker');
    expect(errorOf(await attacker.gql(LoginWithPasskey, { response }))).toEqual({ code: 'INVALID_CREDENTIALS' });
    await loginOptions(attacker);
    expect(errorOf(await attacker.gql(LoginWithPasskey, { response }))).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(attacker.cookie).toBeNull();
    expect(errorOf(await victim.gql(LoginWithPasskey, { response }))).toBeNull();
  });

  it('uses a challenge once however many requests race with it: one session of ten', async () => {
    const api = await createTestApp();
    const { authenticator } = await adaWithPasskey(api);
    const browser = api.agent();
    const response = authenticator.get(await loginOptions(browser));
    const sessionsBefore = await api.prisma.session.count();
    const results = await Promise.all(Array.from({ length: 10 }, () => browser.gql(LoginWithPasskey, { response })));
    expect(results.filter((r) => errorOf(r) === null)).toHaveLength(1);
    expect(new Set(results.map((r) => errorOf(r)?.code ?? 'ok'))).toEqual(new Set(['ok', 'INVALID_CREDENTIALS']));
    expect(await api.prisma.session.count()).toBe(sessionsBefore + 1);
  });

  it('refuses a registration challenge used for a login, and a signed challenge that was never issued', async () => {
    const api = await createTestApp();
    const { browser, authenticator } = await adaWithPasskey(api);
    const registration = await registrationOptions(browser);
    const crossed = authenticator.get({ challenge: registration.challenge, rpId: 'localhost' });
    expect(errorOf(await browser.gql(LoginWithPasskey, { response: crossed }))).toEqual({ code: 'INVALID_CREDENTIALS' });
    const { result } = await loginWith(api, authenticator, { challenge: Buffer.alloc(32, 7).toString('base64url') });
    expect(errorOf(result)).toEqual({ code: 'INVALID_CREDENTIALS' });
  });

  it('refuses an unknown credential', async () => {
    const api = await createTestApp();
    await adaWithPasskey(api);
    const stranger = new SoftwareAuthenticator();
    stranger.create({ challenge: 'AAAA', rp: { id: 'localhost' }, user: { id: 'c29tZW9uZQ' } });
    const { result } = await loginWith(api, stranger);
    expect(errorOf(result)).toEqual({ code: 'INVALID_CREDENTIALS' });
  });

  it('refuses a signature counter that went back, once the authenticator counts', async () => {
    const api = await createTestApp();
    const { authenticator } = await adaWithPasskey(api, { origin: 'http://localhost:4000', rpId: 'localhost', countsSignatures: true });
    expect(errorOf((await loginWith(api, authenticator, { signCount: 5 })).result)).toBeNull();
    expect(errorOf((await loginWith(api, authenticator, { signCount: 5 })).result)).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(errorOf((await loginWith(api, authenticator, { signCount: 3 })).result)).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(errorOf((await loginWith(api, authenticator, { signCount: 0 })).result)).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(errorOf((await loginWith(api, authenticator, { signCount: 6 })).result)).toBeNull();
    expect((await api.prisma.passkey.findFirstOrThrow()).counter).toBe(6n);
  });

  it('accepts a synced passkey whose counter stays 0', async () => {
    const api = await createTestApp();
    const { authenticator } = await adaWithPasskey(api, { origin: 'http://localhost:4000', rpId: 'localhost', synced: true });
    expect(errorOf((await loginWith(api, authenticator)).result)).toBeNull();
    expect(errorOf((await loginWith(api, authenticator)).result)).toBeNull();
    expect(await api.prisma.passkey.findFirstOrThrow()).toMatchObject({ counter: 0n, backedUp: true, deviceType: 'multiDevice' });
  });

  it('answers a malformed response as BAD_USER_INPUT', async () => {
    const api = await createTestApp();
    for (const response of [{}, null, 42, { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: '!' } }]) {
      const result = await api.gql(LoginWithPasskey, { response });
      expect(errorOf(result), JSON.stringify(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'response' });
    }
  });
});

describe('passkey removal', () => {
  it("removes the caller's passkey, which then logs in no more; false for an unknown or another user's id", async () => {
    const api = await createTestApp();
    const { browser, authenticator, passkey } = await adaWithPasskey(api);
    const { browser: bobBrowser, passkey: bobsKey } = await (async () => {
      const bobAgent = await api.signedIn(bob);
      const registered = await addPasskey(bobAgent, new SoftwareAuthenticator());
      return { browser: bobAgent, passkey: registered.data!.registerPasskey };
    })();
    expect((await browser.gql(RemovePasskey, { id: bobsKey.id })).data?.removePasskey).toBe(false);
    expect((await browser.gql(RemovePasskey, { id: 'no-such-id' })).data?.removePasskey).toBe(false);
    expect((await bobBrowser.gql(Passkeys)).data?.passkeys).toHaveLength(1);
    expect(errorOf(await api.gql(RemovePasskey, { id: passkey.id }))).toEqual({ code: 'UNAUTHENTICATED' });
    expect((await browser.gql(RemovePasskey, { id: passkey.id })).data?.removePasskey).toBe(true);
    expect((await browser.gql(Passkeys)).data?.passkeys).toEqual([]);
    expect(errorOf((await loginWith(api, authenticator)).result)).toEqual({ code: 'INVALID_CREDENTIALS' });
  });

  it("a deleted account's passkey logs in no more, and nothing of it stays", async () => {
    const api = await createTestApp();
    const { browser, authenticator } = await adaWithPasskey(api);
    await registrationOptions(browser); // a ceremony left in flight
    expect(errorOf(await browser.gql(DeleteAccount, { currentPassword: ada.password }))).toBeNull();
    expect(await api.prisma.passkey.count()).toBe(0);
    expect(await api.prisma.passkeyChallenge.count()).toBe(0);
    expect(errorOf((await loginWith(api, authenticator)).result)).toEqual({ code: 'INVALID_CREDENTIALS' });
  });

  it("a disabled account's passkey answers ACCOUNT_DISABLED once it is proven, and starts no session", async () => {
    const api = await createTestApp();
    const { authenticator } = await adaWithPasskey(api);
    const admin = await signedInAdmin(api);
    const adaId = (await api.prisma.user.findUniqueOrThrow({ where: { email: ada.email } })).id;
    expect((await admin.gql(DisableUser, { id: adaId })).data).toEqual({ disableUser: true });
    const attempt = await loginWith(api, authenticator);
    expect(errorOf(attempt.result)).toEqual({ code: 'ACCOUNT_DISABLED' });
    expect(await api.prisma.session.count({ where: { userId: adaId } })).toBe(0);
  });

  it('sweeps challenges past their 5 minutes', async () => {
    const api = await createTestApp();
    await loginOptions(api.agent());
    await loginOptions(api.agent());
    expect((await api.housekeeping.run()).removed['passkey challenges expired']).toBe(0);
    api.clock.advanceSeconds(5 * 60);
    expect((await api.housekeeping.run()).removed['passkey challenges expired']).toBe(2);
  });
});

describe('passkey limits', () => {
  it('limits option requests per IP, registration and login alike', async () => {
    const api = await createTestApp({ RATE_LIMIT_PASSKEY_OPTIONS_PER_IP: '2/60' });
    const browser = await api.signedIn();
    await registrationOptions(browser);
    await loginOptions(api.agent());
    expect(errorOf(await api.gql(PasskeyLoginOptions))).toEqual({ code: 'RATE_LIMITED', retryAfter: 60 });
    expect(errorOf(await browser.gql(PasskeyRegistrationOptions))).toEqual({ code: 'RATE_LIMITED', retryAfter: 60 });
    expect(await api.prisma.passkeyChallenge.count()).toBe(2);
    api.clock.advanceSeconds(60);
    await loginOptions(api.agent());
  });

  it('limits loginWithPasskey per IP, before any lookup', async () => {
    const api = await createTestApp({ RATE_LIMIT_PASSKEY_LOGIN_PER_IP: '1/60' });
    const { authenticator } = await adaWithPasskey(api);
    expect(errorOf((await loginWith(api, authenticator, { badSignature: true })).result)).toEqual({ code: 'INVALID_CREDENTIALS' });
    const { browser, result } = await loginWith(api, authenticator);
    expect(errorOf(result)).toEqual({ code: 'RATE_LIMITED', retryAfter: 60 });
    expect(browser.cookie).toBeNull();
  });

  it('keeps at most 10 pending challenges per browser, dropping the oldest', async () => {
    const api = await createTestApp();
    const { authenticator } = await adaWithPasskey(api);
    const browser = api.agent();
    const oldest = await loginOptions(browser);
    for (let i = 0; i < 10; i += 1) {
      api.clock.advanceSeconds(1);
      await loginOptions(browser);
    }
    expect(await api.prisma.passkeyChallenge.count({ where: { ceremony: 'login' } })).toBe(10);
    expect(errorOf(await browser.gql(LoginWithPasskey, { response: authenticator.get(oldest) }))).toEqual({ code: 'INVALID_CREDENTIALS' });
  });
});
