import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeOf, createTestApp } from '../helpers/app.ts';
import { Login, Me, Register, RequestPasswordReset, ResetPassword, ada, bob } from '../helpers/operations.ts';
import { resetTokenFrom, startSmtpServer } from '../helpers/smtp.ts';
import { productionEnv } from '../helpers/production.ts';

const newPassword = 'a fresh start phrase';

async function setup(env: Record<string, string> = {}) {
  const smtp = await startSmtpServer();
  const api = await createTestApp({ SMTP_URL: smtp.url, ...env });
  await api.gql(Register, ada);
  return { smtp, api };
}

describe('requestPasswordReset', () => {
  it('mails a link with a single-use token of 256 bits and stores only its hash', async () => {
    const { smtp, api } = await setup({ PASSWORD_RESET_URL: 'https://app.example.com/reset-password', MAIL_FROM: 'auth@example.com' });
    expect((await api.gql(RequestPasswordReset, { email: ' ADA@example.com ' })).data).toEqual({ requestPasswordReset: true });
    const mail = await smtp.nextMail();
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

  it('answers true for an email without an account, and mails nothing', async () => {
    const { smtp, api } = await setup();
    const unknown = await api.gql(RequestPasswordReset, { email: bob.email });
    const known = await api.gql(RequestPasswordReset, { email: ada.email });
    expect(unknown.data).toEqual(known.data);
    expect(unknown.errors).toBeUndefined();
    await api.background.drain();
    expect(smtp.received.map((m) => m.to)).toEqual([[ada.email]]);
  });

  it('still answers true when the mail cannot be sent, and logs the failure', async () => {
    const { smtp, api } = await setup();
    await smtp.close();
    expect((await api.gql(RequestPasswordReset, { email: ada.email })).data).toEqual({ requestPasswordReset: true });
    await api.background.drain();
    const failure = api.logs.lines.find((l) => l.msg === 'background task failed');
    expect(failure).toMatchObject({ task: 'password-reset-mail', level: 50 });
  });

  it('voids the older token when a newer one is requested', async () => {
    const { smtp, api } = await setup();
    await api.gql(RequestPasswordReset, { email: ada.email });
    const older = resetTokenFrom(await smtp.nextMail());
    await api.gql(RequestPasswordReset, { email: ada.email });
    const newer = resetTokenFrom(await smtp.nextMail());
    expect(codeOf(await api.gql(ResetPassword, { token: older, newPassword }))).toBe('INVALID_TOKEN');
    expect((await api.gql(ResetPassword, { token: newer, newPassword })).data).toEqual({ resetPassword: true });
  });

  it('in development without SMTP_URL, writes the mail with its link to the log, marked as such', async () => {
    const api = await createTestApp();
    await api.gql(Register, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    await api.background.drain();
    const line = api.logs.lines.find((l) => l.mailTransport === 'log') as { mail: { to: string; text: string }; msg: string };
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
    const { smtp, api } = await setup();
    const laptop = api.agent('laptop');
    await laptop.gql(Login, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await smtp.nextMail());

    expect((await api.gql(ResetPassword, { token, newPassword })).data).toEqual({ resetPassword: true });
    expect((await laptop.gql(Me)).data).toEqual({ me: null });
    expect(await api.prisma.session.count()).toBe(0);
    expect(codeOf(await api.gql(Login, ada))).toBe('INVALID_CREDENTIALS');
    expect((await api.gql(Login, { email: ada.email, password: newPassword })).errors).toBeUndefined();

    // Single use.
    expect(codeOf(await api.gql(ResetPassword, { token, newPassword: 'and one more time' }))).toBe('INVALID_TOKEN');
  });

  it('refuses an expired token', async () => {
    const { smtp, api } = await setup();
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await smtp.nextMail());
    api.clock.advanceSeconds(30 * 60);
    expect(codeOf(await api.gql(ResetPassword, { token, newPassword }))).toBe('INVALID_TOKEN');
    expect((await api.gql(Login, ada)).errors).toBeUndefined();
  });

  it('honours RESET_TOKEN_TTL_SECONDS', async () => {
    const { smtp, api } = await setup({ RESET_TOKEN_TTL_SECONDS: '120' });
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await smtp.nextMail());
    api.clock.advanceSeconds(119);
    expect((await api.gql(ResetPassword, { token, newPassword })).errors).toBeUndefined();
  });

  it('answers an unknown token and a malformed one alike: INVALID_TOKEN', async () => {
    const { api } = await setup();
    const unknown = await api.gql(ResetPassword, { token: 'A'.repeat(43), newPassword });
    const malformed = await api.gql(ResetPassword, { token: 'no such token!', newPassword });
    expect(codeOf(unknown)).toBe('INVALID_TOKEN');
    expect(malformed.errors).toEqual(unknown.errors);
  });

  it('holds the new password to the policy without spending the token', async () => {
    const { smtp, api } = await setup();
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await smtp.nextMail());
    const weak = await api.gql(ResetPassword, { token, newPassword: '1234567' });
    expect(codeOf(weak)).toBe('BAD_USER_INPUT');
    expect(weak.errors?.[0]?.extensions?.field).toBe('newPassword');
    expect((await api.gql(ResetPassword, { token, newPassword })).errors).toBeUndefined();
  });

  it('lets exactly one of two concurrent uses of a token succeed', async () => {
    const { smtp, api } = await setup();
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await smtp.nextMail());
    const results = await Promise.all([
      api.agent().gql(ResetPassword, { token, newPassword: 'first racer phrase' }),
      api.agent().gql(ResetPassword, { token, newPassword: 'second racer phrase' }),
    ]);
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(results.filter((r) => codeOf(r) === 'INVALID_TOKEN')).toHaveLength(1);
  });
});

describe('requestPasswordReset timing', () => {
  it('starts the work that depends on the account only after the response is out', async () => {
    const { smtp, api } = await setup();
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
    expect(resetTokenFrom(await smtp.nextMail())).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
