// Deleting one's own account (API.md, "Verified email"): with the right password, the user and
// everything of theirs go, no row anywhere still holds the address, and it can register again.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp } from '../helpers/app.ts';
import { DeleteAccount, Login, Me, Register, RequestPasswordReset, Sessions, ada, bob } from '../helpers/operations.ts';

/** Every row of every table, as text: what a leaked database would show. */
async function everyRow(api: TestApp): Promise<string> {
  const p = api.prisma;
  const tables = await Promise.all([
    p.user.findMany(),
    p.session.findMany(),
    p.trustedDevice.findMany(),
    p.passwordResetToken.findMany(),
    p.emailVerificationToken.findMany(),
    p.rateLimit.findMany(),
  ]);
  return JSON.stringify(tables);
}

describe('deleteAccount', () => {
  it('needs a session, and the right password; a wrong one deletes nothing', async () => {
    const api = await createTestApp();
    expect(errorOf(await api.gql(DeleteAccount, { currentPassword: ada.password }))).toEqual({ code: 'UNAUTHENTICATED' });
    const browser = await api.signedIn();
    expect(errorOf(await browser.gql(DeleteAccount, { currentPassword: 'not the password at all' }))).toEqual({
      code: 'INVALID_CREDENTIALS',
    });
    expect((await browser.gql(Me)).data?.me).toMatchObject({ email: ada.email });
    expect(errorOf(await browser.gql(DeleteAccount, { currentPassword: '' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'currentPassword',
    });
  });

  it('removes the user with everything of theirs, ends every session, clears the cookies and mails a notice', async () => {
    const api = await createTestApp({}, { smtp: true });
    const laptop = await api.signedIn({ userAgent: 'laptop' });
    const phone = await api.signedIn({ userAgent: 'phone' });
    const other = await api.signedIn(bob);
    // Rows keyed by the address or the user: a failed login, a pending reset, counters.
    await api.agent().gql(Login, { email: ada.email, password: 'a wrong guess here' });
    await api.gql(RequestPasswordReset, { email: ada.email });
    await api.resetMailTo(ada.email);
    expect(await everyRow(api)).toContain(ada.email);

    expect((await laptop.gql(DeleteAccount, { currentPassword: ada.password })).data).toEqual({ deleteAccount: true });
    expect(laptop.lastSetCookies.filter((cookie) => /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(cookie))).toHaveLength(2);
    expect(laptop.cookie).toBeNull();
    expect((await phone.gql(Me)).data).toEqual({ me: null });
    const notice = await api.mailTo(ada.email, /^Your account was deleted$/);
    expect(notice.text).toMatch(/was deleted on/);

    await api.background.drain();
    const rows = await everyRow(api);
    expect(rows).not.toContain(ada.email);
    const adaId = laptop.user.id;
    expect(rows).not.toContain(adaId);
    // Another account is untouched.
    expect((await other.gql(Me)).data?.me).toMatchObject({ email: bob.email });
    expect((await other.gql(Sessions)).data?.sessions).toHaveLength(1);
  });

  it('frees the address: it can register again, as a new account', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const oldId = browser.user.id;
    await browser.gql(DeleteAccount, { currentPassword: ada.password });
    const again = await api.gql(Register, ada);
    expect(again.data?.register).toMatchObject({ email: ada.email });
    expect(again.data?.register.id).not.toBe(oldId);
    expect(errorOf(await api.agent().gql(Login, ada))).toBeNull();
  });
});
