import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { Login, Me, Register, RequestPasswordReset, ResetPassword, ada, bob } from '../helpers/operations.ts';
import { RESET_MAIL, resetTokenFrom } from '../helpers/smtp.ts';
import { productionEnv } from '../helpers/production.ts';

const newPassword = 'a fresh start phrase';

describe('requestPasswordReset', () => {
  it('mails a link with a single-use token of 256 bits and stores only its hash', async () => {
    const api = await createTestApp(
      { PASSWORD_RESET_URL: 'https://app.example.com/reset-password', MAIL_FROM: 'auth@example.com' },
      { smtp: true },
    );
    await api.gql(Register, ada);
    expect((await api.gql(RequestPasswordReset, { email: ' ADA@example.com ' })).data).toEqual({ requestPasswordReset: true });
    const mail = await api.resetMailTo(ada.email);
    expect(mail.to).toEqual([ada.email]);
    expect(mail.raw).toMatch(/^From: auth@example\.com/m);
    const token = resetTokenFrom(mail);
    expect(mail.text).toContain(`https://app.example.com/reset-password?token=${token}`);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);

    const rows = await api.prisma.passwordResetToken.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(rows[0]!.expiresAt.getTime() - api.clock.now().getTime()).toBe(30 * 60 * 1000);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('answers an email without an account as it answers one with an account, and mails only the account holder', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    const unknown = await api.gql(RequestPasswordReset, { email: bob.email });
    const known = await api.gql(RequestPasswordReset, { email: ada.email });
    expect(unknown.data).toEqual(known.data);
    expect(errorOf(unknown)).toBeNull();
    await api.background.drain();
    const resetMails = api.mailbox().received.filter((m) => RESET_MAIL.test(m.subject));
    expect(resetMails.map((m) => m.to)).toEqual([[ada.email]]);
  });

  it('still answers true when the mail cannot be sent, and logs the failure', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    await api.verificationMailTo(ada.email);
    await api.mailbox().close();
    expect((await api.gql(RequestPasswordReset, { email: ada.email })).data).toEqual({ requestPasswordReset: true });
    await api.background.drain();
    const failure = api.logs.lines.find((l) => l.msg === 'background task failed');
    expect(failure).toMatchObject({ task: 'password-reset-mail', level: 50 });
  });

  it('voids the older token when a newer one is requested', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    const older = resetTokenFrom(await api.resetMailTo(ada.email));
    await api.gql(RequestPasswordReset, { email: ada.email });
    const newer = resetTokenFrom(await api.resetMailTo(ada.email));
    expect(errorOf(await api.gql(ResetPassword, { token: older, newPassword }))).toEqual({ code: 'INVALID_TOKEN' });
    expect((await api.gql(ResetPassword, { token: newer, newPassword })).data).toEqual({ resetPassword: true });
  });

  it('in development without SMTP_URL, writes the mail with its link to the log, marked as such', async () => {
    const api = await createTestApp();
    await api.gql(Register, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    await api.background.drain();
    const line = api.logs.lines.find(
      (l) => l.mailTransport === 'log' && (l.mail as { subject: string }).subject === 'Reset your password',
    ) as {
      mail: { to: string; text: string };
      msg: string;
    };
    expect(line.msg).toMatch(/not sent/);
    expect(line.mail.to).toBe(ada.email);
    expect(line.mail.text).toMatch(/http:\/\/localhost:4000\/reset-password\?token=[A-Za-z0-9_-]{43}/);
  });

  it('in production without SMTP_URL, keeps the token out of the log', async () => {
    const api = await createTestApp(productionEnv);
    await api.gql(Register, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    await api.background.drain();
    expect(api.logs.text()).not.toMatch(/token=/);
  });
});

describe('resetPassword', () => {
  it('sets the new password, consumes the token and ends every session of the user', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    const laptop = await api.signedIn({ userAgent: 'laptop' });
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.resetMailTo(ada.email));

    expect((await api.gql(ResetPassword, { token, newPassword })).data).toEqual({ resetPassword: true });
    expect((await laptop.gql(Me)).data).toEqual({ me: null });
    expect(await api.prisma.session.count()).toBe(0);
    expect(errorOf(await api.gql(Login, ada))).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(errorOf(await api.gql(Login, { email: ada.email, password: newPassword }))).toBeNull();

    // Single use.
    expect(errorOf(await api.gql(ResetPassword, { token, newPassword: 'and one more time' }))).toEqual({ code: 'INVALID_TOKEN' });
  });

  it('refuses a token as INVALID_TOKEN once its 30 minutes are over, and keeps the old password', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.resetMailTo(ada.email));
    api.clock.advanceSeconds(30 * 60);
    expect(errorOf(await api.gql(ResetPassword, { token, newPassword }))).toEqual({ code: 'INVALID_TOKEN' });
    expect(errorOf(await api.gql(Login, ada))).toBeNull();
  });

  it('honours RESET_TOKEN_TTL_SECONDS=120: a token is refused at 120 seconds and accepted at 119', async () => {
    const api = await createTestApp({ RESET_TOKEN_TTL_SECONDS: '120' }, { smtp: true });
    await api.gql(Register, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    const expiring = resetTokenFrom(await api.resetMailTo(ada.email));
    api.clock.advanceSeconds(120);
    expect(errorOf(await api.gql(ResetPassword, { token: expiring, newPassword }))).toEqual({ code: 'INVALID_TOKEN' });

    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.resetMailTo(ada.email));
    api.clock.advanceSeconds(119);
    expect(errorOf(await api.gql(ResetPassword, { token, newPassword }))).toBeNull();
  });

  it('answers an unknown token and a malformed one alike: INVALID_TOKEN', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    const unknown = await api.gql(ResetPassword, { token: 'A'.repeat(43), newPassword });
    const malformed = await api.gql(ResetPassword, { token: 'no such token!', newPassword });
    expect(errorOf(unknown)).toEqual({ code: 'INVALID_TOKEN' });
    expect(malformed.errors).toEqual(unknown.errors);
  });

  it('refuses a new password outside the policy on field newPassword, without spending the token', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.resetMailTo(ada.email));
    const weak = await api.gql(ResetPassword, { token, newPassword: '1234567' });
    expect(errorOf(weak)).toEqual({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect(errorOf(await api.gql(ResetPassword, { token, newPassword }))).toBeNull();
  });

  it('lets exactly one of two concurrent uses of a token succeed', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.resetMailTo(ada.email));
    const results = await Promise.all([
      api.agent().gql(ResetPassword, { token, newPassword: 'first racer phrase' }),
      api.agent().gql(ResetPassword, { token, newPassword: 'second racer phrase' }),
    ]);
    expect(results.map(errorOf)).toEqual(expect.arrayContaining([null, { code: 'INVALID_TOKEN' }]));
  });
});

describe('requestPasswordReset timing', () => {
  it('starts the work that depends on the account only after the response is out', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    const audited = () => api.logs.lines.filter((line) => line.event === 'password-reset-requested');
    const response = await api.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($email: String!) { requestPasswordReset(email: $email) }', variables: { email: ada.email } }),
    });
    // The answer exists and the lookup has not even started: nothing of it can show in the timing.
    expect(response.status).toBe(200);
    expect(audited()).toEqual([]);
    expect(await api.prisma.passwordResetToken.count()).toBe(0);
    expect(await response.json()).toEqual({ data: { requestPasswordReset: true } });
    await api.background.drain();
    expect(audited()).toMatchObject([{ outcome: 'mailed' }]);
    expect(resetTokenFrom(await api.resetMailTo(ada.email))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
