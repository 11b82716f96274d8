import { describe, expect, it } from 'vitest';
import { commonPasswordCount } from '../../src/auth/password-blocklist.ts';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { ChangePassword, Register, RequestPasswordReset, ResetPassword, ada } from '../helpers/operations.ts';
import { resetTokenFrom } from '../helpers/smtp.ts';

describe('password blocklist', () => {
  it('ships at least the 10,000 most common passwords, offline', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
  });

  it.each(['password1', 'iloveyou', 'qwertyuiop', 'Password123', 'TRUSTNO1'])(
    'refuses %s as BAD_USER_INPUT on field password, saying it is too common',
    async (password) => {
      const api = await createTestApp();
      const result = await api.gql(Register, { email: ada.email, password });
      expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });
      expect(result.errors?.[0]?.message).toMatch(/too common/);
      expect(await api.prisma.user.count()).toBe(0);
    },
  );

  it.each([
    ['the whole email', 'Ada@Example.com!'],
    ['the email local part', 'ada'.padEnd(8, 'a')],
    ['the local part inside', 'my-ada-password'],
  ])('refuses a password containing %s as BAD_USER_INPUT on field password', async (_what, password) => {
    const api = await createTestApp();
    const result = await api.gql(Register, { email: ada.email, password });
    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });
    expect(result.errors?.[0]?.message).toMatch(/must not contain your email/);
  });

  it('refuses a common or email-based new password in changePassword and resetPassword on field newPassword', async () => {
    const api = await createTestApp({}, { smtp: true });
    const browser = await api.signedIn();
    const change = await browser.gql(ChangePassword, { currentPassword: ada.password, newPassword: 'iloveyou' });
    expect(errorOf(change)).toEqual({ code: 'BAD_USER_INPUT', field: 'newPassword' });

    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.resetMailTo(ada.email));
    const reset = await api.gql(ResetPassword, { token, newPassword: 'ada@example.com-2026' });
    expect(errorOf(reset)).toEqual({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect(reset.errors?.[0]?.message).toMatch(/email/);
  });
});

describe('password change notice', () => {
  it('is mailed after changePassword and after resetPassword, with no secret in it', async () => {
    const api = await createTestApp({}, { smtp: true });
    const browser = await api.signedIn();
    const changedTo = 'a completely new phrase';
    await browser.gql(ChangePassword, { currentPassword: ada.password, newPassword: changedTo });
    const changed = await api.mailTo(ada.email, /^Your password was changed$/);
    expect(changed.to).toEqual([ada.email]);
    expect(changed.raw).toMatch(/^Subject: Your password was changed/m);
    expect(changed.text).toMatch(/was changed on/);

    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.resetMailTo(ada.email));
    const resetTo = 'yet another new phrase';
    await api.gql(ResetPassword, { token, newPassword: resetTo });
    const reset = await api.mailTo(ada.email, /^Your password was changed$/);
    expect(reset.text).toMatch(/was reset on/);

    for (const mail of [changed, reset]) {
      for (const secret of [ada.password, changedTo, resetTo, token]) expect(mail.raw).not.toContain(secret);
      expect(mail.text).not.toMatch(/token=/);
    }
  });

  it('is not sent when the change is refused', async () => {
    const api = await createTestApp({}, { smtp: true });
    const browser = await api.signedIn();
    const refused = await browser.gql(ChangePassword, { currentPassword: 'wrong wrong wrong', newPassword: 'a completely new phrase' });
    expect(errorOf(refused)).toEqual({ code: 'INVALID_CREDENTIALS' });
    await api.background.drain();
    expect(api.mailbox().received.filter((mail) => mail.subject === 'Your password was changed')).toHaveLength(0);
  });
});
