import { describe, expect, it } from 'vitest';
import { commonPasswordCount } from '../../src/auth/password-blocklist.ts';
import { codeOf, createTestApp } from '../helpers/app.ts';
import { ChangePassword, Login, Register, RequestPasswordReset, ResetPassword, ada } from '../helpers/operations.ts';
import { resetTokenFrom, startSmtpServer } from '../helpers/smtp.ts';

describe('password blocklist', () => {
  it('ships at least the 10,000 most common passwords, offline', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
  });

  it.each(['password1', 'iloveyou', 'qwertyuiop', 'Password123', 'TRUSTNO1'])('refuses %s with a message that says why', async (password) => {
    const api = await createTestApp();
    const result = await api.gql(Register, { email: ada.email, password });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.field).toBe('password');
    expect(result.errors?.[0]?.message).toMatch(/too common/);
    expect(await api.prisma.user.count()).toBe(0);
  });

  it.each([
    ['the whole email', 'Ada@Example.com!'],
    ['the email local part', 'ada'.padEnd(8, 'a')],
    ['the local part inside', 'my-ada-password'],
  ])('refuses a password containing %s', async (_what, password) => {
    const api = await createTestApp();
    const result = await api.gql(Register, { email: ada.email, password });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/must not contain your email/);
  });

  it('holds changePassword and resetPassword to the same rules', async () => {
    const smtp = await startSmtpServer();
    const api = await createTestApp({ SMTP_URL: smtp.url });
    await api.gql(Register, ada);
    await api.gql(Login, ada);
    const change = await api.gql(ChangePassword, { currentPassword: ada.password, newPassword: 'iloveyou' });
    expect(codeOf(change)).toBe('BAD_USER_INPUT');
    expect(change.errors?.[0]?.extensions?.field).toBe('newPassword');

    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await smtp.nextMail());
    const reset = await api.gql(ResetPassword, { token, newPassword: 'ada@example.com-2026' });
    expect(codeOf(reset)).toBe('BAD_USER_INPUT');
    expect(reset.errors?.[0]?.message).toMatch(/email/);
  });
});

describe('password change notice', () => {
  it('is mailed after changePassword and after resetPassword, with no secret in it', async () => {
    const smtp = await startSmtpServer();
    const api = await createTestApp({ SMTP_URL: smtp.url });
    await api.gql(Register, ada);
    await api.gql(Login, ada);
    const changedTo = 'a completely new phrase';
    await api.gql(ChangePassword, { currentPassword: ada.password, newPassword: changedTo });
    const changed = await smtp.nextMail();
    expect(changed.to).toEqual([ada.email]);
    expect(changed.raw).toMatch(/^Subject: Your password was changed/m);
    expect(changed.text).toMatch(/was changed on/);

    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await smtp.nextMail());
    const resetTo = 'yet another new phrase';
    await api.gql(ResetPassword, { token, newPassword: resetTo });
    const reset = await smtp.nextMail();
    expect(reset.text).toMatch(/was reset on/);

    for (const mail of [changed, reset]) {
      for (const secret of [ada.password, changedTo, resetTo, token]) expect(mail.raw).not.toContain(secret);
      expect(mail.text).not.toMatch(/token=/);
    }
  });

  it('is not sent when the change is refused', async () => {
    const smtp = await startSmtpServer();
    const api = await createTestApp({ SMTP_URL: smtp.url });
    await api.gql(Register, ada);
    await api.gql(Login, ada);
    await api.gql(ChangePassword, { currentPassword: 'wrong wrong wrong', newPassword: 'a completely new phrase' });
    await api.background.drain();
    expect(smtp.received).toHaveLength(0);
  });
});
