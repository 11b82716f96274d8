// The fixture's own promises (test/helpers/app.ts), so a test that leans on them fails for its
// own reason and not because signedIn or mailTo quietly did something else.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from './helpers/app.ts';
import { Me, RequestPasswordReset, ada, bob } from './helpers/operations.ts';

describe('signedIn', () => {
  it('registers ada and returns an agent with her session and her user', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    expect(browser.user).toMatchObject({ email: ada.email, id: expect.any(String) });
    expect((await browser.gql(Me)).data?.me?.id).toBe(browser.user.id);
    expect((await api.gql(Me)).data).toEqual({ me: null });
  });

  it('reuses an existing account: a second device is a second session of the same user', async () => {
    const api = await createTestApp();
    const laptop = await api.signedIn({ userAgent: 'laptop' });
    const phone = await api.signedIn({ userAgent: 'phone' });
    expect(phone.user.id).toBe(laptop.user.id);
    expect(phone.cookie).not.toBe(laptop.cookie);
    expect(await api.prisma.session.count()).toBe(2);
  });

  it('throws with the error envelope when the login is refused', async () => {
    const api = await createTestApp();
    await api.signedIn(bob);
    await expect(api.signedIn({ email: bob.email, password: 'a wholly different phrase' })).rejects.toThrow(
      /login refused: .*INVALID_CREDENTIALS/,
    );
  });
});

describe('mailTo', () => {
  it('gives each address its own next mail, whatever the order they arrive in', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(RequestPasswordReset, { email: ada.email }); // no account: no mail
    await api.signedIn(bob);
    await api.signedIn(ada);
    await api.gql(RequestPasswordReset, { email: bob.email });
    await api.gql(RequestPasswordReset, { email: ada.email });
    expect((await api.mailTo(ada.email)).to).toEqual([ada.email]);
    expect((await api.mailTo(bob.email)).to).toEqual([bob.email]);
    expect(api.mailbox().received).toHaveLength(2);
  });

  it('says how to ask for mail when the app has no SMTP server', async () => {
    const api = await createTestApp();
    expect(() => api.mailTo(ada.email)).toThrow(/createTestApp\(env, \{ smtp: true \}\)/);
  });
});

describe('errorOf', () => {
  it("is null for a result without errors, and the first error's extensions otherwise", () => {
    expect(errorOf({ errors: undefined })).toBeNull();
    expect(errorOf({ errors: [{ extensions: { code: 'RATE_LIMITED', retryAfter: 3 } }, { extensions: { code: 'X' } }] })).toEqual({
      code: 'RATE_LIMITED',
      retryAfter: 3,
    });
    expect(errorOf({ errors: [{}] })).toEqual({ code: undefined });
  });
});
