import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { ChangePassword, Login, Me, RequestPasswordReset, ResetPassword, ada } from '../helpers/operations.ts';
import { resetTokenFrom } from '../helpers/smtp.ts';

const newPassword = 'an entirely new passphrase';

describe('changePassword', () => {
  it('sets the password, ends the other sessions and rotates this one to a new cookie', async () => {
    const api = await createTestApp();
    const laptop = await api.signedIn({ userAgent: 'laptop' });
    const phone = await api.signedIn({ userAgent: 'phone' });
    const before = laptop.cookie!;

    const result = await laptop.gql(ChangePassword, { currentPassword: ada.password, newPassword });
    expect(result.data).toEqual({ changePassword: true });
    expect(laptop.cookie).not.toBe(before);
    expect(laptop.cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await laptop.gql(Me)).data?.me).toMatchObject({ email: ada.email });

    const oldCookie = api.agent();
    oldCookie.cookie = before;
    expect((await oldCookie.gql(Me)).data).toEqual({ me: null });
    expect((await phone.gql(Me)).data).toEqual({ me: null });
    expect(await api.prisma.session.count()).toBe(1);

    expect(errorOf(await api.agent().gql(Login, ada))).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(errorOf(await api.agent().gql(Login, { email: ada.email, password: newPassword }))).toBeNull();
  });

  it('refuses a wrong current password with INVALID_CREDENTIALS and keeps the password and the other sessions', async () => {
    const api = await createTestApp();
    const laptop = await api.signedIn({ userAgent: 'laptop' });
    const phone = await api.signedIn({ userAgent: 'phone' });
    const result = await laptop.gql(ChangePassword, { currentPassword: 'not my password', newPassword });
    expect(errorOf(result)).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect((await phone.gql(Me)).data?.me).not.toBeNull();
    expect(errorOf(await api.agent().gql(Login, ada))).toBeNull();
  });

  it('refuses a new password outside the policy as BAD_USER_INPUT on field newPassword', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const result = await browser.gql(ChangePassword, { currentPassword: ada.password, newPassword: 'short' });
    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'newPassword' });
  });

  it('answers UNAUTHENTICATED without a session', async () => {
    const api = await createTestApp();
    expect(errorOf(await api.gql(ChangePassword, { currentPassword: ada.password, newPassword }))).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('voids a reset token mailed before the change: INVALID_TOKEN', async () => {
    const api = await createTestApp({}, { smtp: true });
    const laptop = await api.signedIn({ userAgent: 'laptop' });
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.resetMailTo(ada.email));
    await laptop.gql(ChangePassword, { currentPassword: ada.password, newPassword });
    expect(errorOf(await api.gql(ResetPassword, { token, newPassword: 'yet another passphrase' }))).toEqual({ code: 'INVALID_TOKEN' });
  });
});
