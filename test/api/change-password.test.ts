import { describe, expect, it } from 'vitest';
import { codeOf, createTestApp, type TestApp } from '../helpers/app.ts';
import { ChangePassword, Login, Me, Register, RequestPasswordReset, ResetPassword, ada } from '../helpers/operations.ts';
import { resetTokenFrom, startSmtpServer } from '../helpers/smtp.ts';

const newPassword = 'an entirely new passphrase';

async function twoDevices(api: TestApp) {
  const laptop = api.agent('laptop');
  await laptop.gql(Register, ada);
  await laptop.gql(Login, ada);
  const phone = api.agent('phone');
  await phone.gql(Login, ada);
  return { laptop, phone };
}

describe('changePassword', () => {
  it('sets the password, ends the other sessions and rotates this one to a new cookie', async () => {
    const api = await createTestApp();
    const { laptop, phone } = await twoDevices(api);
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

    expect(codeOf(await api.agent().gql(Login, ada))).toBe('INVALID_CREDENTIALS');
    expect((await api.agent().gql(Login, { email: ada.email, password: newPassword })).errors).toBeUndefined();
  });

  it('refuses a wrong current password with INVALID_CREDENTIALS and changes nothing', async () => {
    const api = await createTestApp();
    const { laptop, phone } = await twoDevices(api);
    const result = await laptop.gql(ChangePassword, { currentPassword: 'not my password', newPassword });
    expect(codeOf(result)).toBe('INVALID_CREDENTIALS');
    expect((await phone.gql(Me)).data?.me).not.toBeNull();
    expect((await api.agent().gql(Login, ada)).errors).toBeUndefined();
  });

  it('holds the new password to the policy, on field newPassword', async () => {
    const api = await createTestApp();
    const { laptop } = await twoDevices(api);
    const result = await laptop.gql(ChangePassword, { currentPassword: ada.password, newPassword: 'short' });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.field).toBe('newPassword');
  });

  it('needs a session: UNAUTHENTICATED', async () => {
    const api = await createTestApp();
    expect(codeOf(await api.gql(ChangePassword, { currentPassword: ada.password, newPassword }))).toBe('UNAUTHENTICATED');
  });

  it('voids a reset token mailed before the change', async () => {
    const smtp = await startSmtpServer();
    const api = await createTestApp({ SMTP_URL: smtp.url });
    const { laptop } = await twoDevices(api);
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await smtp.nextMail());
    await laptop.gql(ChangePassword, { currentPassword: ada.password, newPassword });
    expect(codeOf(await api.gql(ResetPassword, { token, newPassword: 'yet another passphrase' }))).toBe('INVALID_TOKEN');
  });
});
