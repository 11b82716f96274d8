import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { Login, Logout, Me, Register, RequestPasswordReset, ResetPassword, ada } from '../helpers/operations.ts';
import { resetTokenFrom } from '../helpers/smtp.ts';

describe('the whole journey of one user', () => {
  it('registers, fails a login, logs in and out, resets the password by mail, logs in with it, and no secret reaches the log', async () => {
    const api = await createTestApp({ PASSWORD_RESET_URL: 'https://app.example.com/reset' }, { smtp: true });

    const registered = await api.gql(Register, { email: ada.email, password: ada.password });
    expect(registered.data?.register).toMatchObject({ email: ada.email });

    const wrong = await api.gql(Login, { email: ada.email, password: 'not the password' });
    expect(errorOf(wrong)).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect((await api.gql(Me)).data).toEqual({ me: null });

    await api.gql(Login, ada);
    expect((await api.gql(Me)).data?.me?.email).toBe(ada.email);

    expect((await api.gql(Logout)).data).toEqual({ logout: true });
    expect((await api.gql(Me)).data).toEqual({ me: null });

    expect((await api.gql(RequestPasswordReset, { email: ada.email })).data).toEqual({ requestPasswordReset: true });
    const mail = await api.resetMailTo(ada.email);
    expect(mail.to).toEqual([ada.email]);
    expect(mail.text).toMatch(/https:\/\/app\.example\.com\/reset\?token=[A-Za-z0-9_-]{43}/);

    const newPassword = 'a brand new passphrase';
    const reset = await api.gql(ResetPassword, { token: resetTokenFrom(mail), newPassword });
    expect(reset.data).toEqual({ resetPassword: true });

    expect(errorOf(await api.gql(Login, ada))).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(errorOf(await api.gql(Login, { email: ada.email, password: newPassword }))).toBeNull();
    expect((await api.gql(Me)).data?.me?.email).toBe(ada.email);

    await api.background.drain();
    const logged = api.logs.text();
    for (const secret of [ada.password, newPassword, resetTokenFrom(mail), api.main.cookie!]) {
      expect(logged).not.toContain(secret);
    }
  });
});
