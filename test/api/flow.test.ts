import { describe, expect, it } from 'vitest';
import { codeOf, createTestApp } from '../helpers/app.ts';
import { Login, Logout, Me, Register, RequestPasswordReset, ResetPassword, ada } from '../helpers/operations.ts';
import { resetTokenFrom, startSmtpServer } from '../helpers/smtp.ts';

describe('the whole journey of one user', () => {
  it('registers, fails a login, logs in and out, resets the password by mail and logs in with it', async () => {
    const smtp = await startSmtpServer();
    const api = await createTestApp({ SMTP_URL: smtp.url, PASSWORD_RESET_URL: 'https://app.example.com/reset' });

    const registered = await api.gql(Register, { email: ada.email, password: ada.password });
    expect(registered.data?.register).toMatchObject({ email: ada.email });

    const wrong = await api.gql(Login, { email: ada.email, password: 'not the password' });
    expect(codeOf(wrong)).toBe('INVALID_CREDENTIALS');
    expect((await api.gql(Me)).data).toEqual({ me: null });

    await api.gql(Login, ada);
    expect((await api.gql(Me)).data?.me?.email).toBe(ada.email);

    expect((await api.gql(Logout)).data).toEqual({ logout: true });
    expect((await api.gql(Me)).data).toEqual({ me: null });

    expect((await api.gql(RequestPasswordReset, { email: ada.email })).data).toEqual({ requestPasswordReset: true });
    const mail = await smtp.nextMail();
    expect(mail.to).toEqual([ada.email]);
    expect(mail.text).toMatch(/https:\/\/app\.example\.com\/reset\?token=[A-Za-z0-9_-]{43}/);

    const newPassword = 'a brand new passphrase';
    const reset = await api.gql(ResetPassword, { token: resetTokenFrom(mail), newPassword });
    expect(reset.data).toEqual({ resetPassword: true });

    expect(codeOf(await api.gql(Login, ada))).toBe('INVALID_CREDENTIALS');
    const login = await api.gql(Login, { email: ada.email, password: newPassword });
    expect(login.errors).toBeUndefined();
    expect((await api.gql(Me)).data?.me?.email).toBe(ada.email);

    // Nothing secret reached the log on the way.
    await api.background.drain();
    const logged = api.logs.text();
    for (const secret of [ada.password, newPassword, resetTokenFrom(mail), api.main.cookie!]) {
      expect(logged).not.toContain(secret);
    }
  });
});
