// Proving an address (API.md, "Verified email"): the link register mails, verifyEmail,
// requestEmailVerification, and EMAIL_VERIFICATION=required.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import {
  Login,
  Me,
  Register,
  RequestEmailVerification,
  RequestPasswordReset,
  ResetPassword,
  VerifyEmail,
  ada,
  bob,
} from '../helpers/operations.ts';
import { resetTokenFrom, VERIFICATION_MAIL, verificationTokenFrom } from '../helpers/smtp.ts';

const DAY_SECONDS = 86_400;

describe('register', () => {
  it('mails a verification link with a single-use token of 256 bits, stored only as its hash, for 24 hours', async () => {
    const api = await createTestApp({ EMAIL_VERIFICATION_URL: 'https://app.example.com/verify-email' }, { smtp: true });
    await api.gql(Register, ada);
    const mail = await api.verificationMailTo(ada.email);
    const token = verificationTokenFrom(mail);
    expect(mail.text).toContain(`https://app.example.com/verify-email?token=${token}`);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);

    const rows = await api.prisma.emailVerificationToken.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(rows[0]!.expiresAt.getTime() - api.clock.now().getTime()).toBe(DAY_SECONDS * 1000);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('starts the account unverified; verifyEmail proves it, once', async () => {
    const api = await createTestApp({}, { smtp: true });
    const browser = await api.signedIn();
    expect((await browser.gql(Me)).data?.me).toMatchObject({ email: ada.email, emailVerified: false });
    const token = verificationTokenFrom(await api.verificationMailTo(ada.email));

    // Anyone holding the link may use it: no session is needed (the mail may be read elsewhere).
    expect((await api.gql(VerifyEmail, { token })).data).toEqual({ verifyEmail: true });
    expect((await browser.gql(Me)).data?.me).toMatchObject({ email: ada.email, emailVerified: true });
    expect(errorOf(await api.gql(VerifyEmail, { token }))).toEqual({ code: 'INVALID_TOKEN' });
    expect(await api.prisma.emailVerificationToken.count()).toBe(0);
  });
});

describe('verifyEmail', () => {
  it('refuses an expired token with INVALID_TOKEN and leaves the address unverified', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    const token = verificationTokenFrom(await api.verificationMailTo(ada.email));
    api.clock.advanceSeconds(DAY_SECONDS + 1);
    expect(errorOf(await api.gql(VerifyEmail, { token }))).toEqual({ code: 'INVALID_TOKEN' });
    expect((await api.prisma.user.findUniqueOrThrow({ where: { email: ada.email } })).emailVerified).toBe(false);
    // Housekeeping removes it: an expired token can never matter again.
    expect((await api.housekeeping.run()).removed['verification tokens expired']).toBe(1);
    expect(await api.prisma.emailVerificationToken.count()).toBe(0);
  });

  it('honours EMAIL_VERIFICATION_TOKEN_TTL_SECONDS', async () => {
    const api = await createTestApp({ EMAIL_VERIFICATION_TOKEN_TTL_SECONDS: '600' }, { smtp: true });
    await api.gql(Register, ada);
    const token = verificationTokenFrom(await api.verificationMailTo(ada.email));
    api.clock.advanceSeconds(601);
    expect(errorOf(await api.gql(VerifyEmail, { token }))).toEqual({ code: 'INVALID_TOKEN' });
  });

  it('refuses a token superseded by a newer link', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    const older = verificationTokenFrom(await api.verificationMailTo(ada.email));
    expect((await api.gql(RequestEmailVerification, { email: ada.email })).data).toEqual({ requestEmailVerification: true });
    const newer = verificationTokenFrom(await api.verificationMailTo(ada.email));
    expect(newer).not.toBe(older);
    expect(errorOf(await api.gql(VerifyEmail, { token: older }))).toEqual({ code: 'INVALID_TOKEN' });
    expect((await api.gql(VerifyEmail, { token: newer })).data).toEqual({ verifyEmail: true });
  });

  it('answers INVALID_TOKEN for a made-up or malformed token, and BAD_USER_INPUT for an empty or oversized one', async () => {
    const api = await createTestApp();
    for (const token of ['A'.repeat(43), 'not a token', 'x']) {
      expect(errorOf(await api.gql(VerifyEmail, { token }))).toEqual({ code: 'INVALID_TOKEN' });
    }
    expect(errorOf(await api.gql(VerifyEmail, { token: '' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(errorOf(await api.gql(VerifyEmail, { token: 'a'.repeat(5000) }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
  });

  it('is limited per IP', async () => {
    const api = await createTestApp({ RATE_LIMIT_VERIFY_EMAIL_PER_IP: '2/900' }, { defaultLimits: true });
    const guess = () => api.gql(VerifyEmail, { token: 'B'.repeat(43) });
    expect(errorOf(await guess())).toEqual({ code: 'INVALID_TOKEN' });
    expect(errorOf(await guess())).toEqual({ code: 'INVALID_TOKEN' });
    const refused = errorOf(await guess());
    expect(refused).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused!.retryAfter).toBeGreaterThan(890);
  });
});

describe('requestEmailVerification', () => {
  it('answers true for every address and mails only an existing, unverified account', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    await api.gql(Register, bob);
    await api.gql(VerifyEmail, { token: verificationTokenFrom(await api.verificationMailTo(bob.email)) });
    await api.verificationMailTo(ada.email); // register's own link
    await api.background.drain();
    const before = api.mailbox().received.length;

    const answers = await Promise.all(
      [ada.email, bob.email, 'nobody@example.com'].map((email) => api.gql(RequestEmailVerification, { email })),
    );
    for (const answer of answers) expect(answer.data).toEqual({ requestEmailVerification: true });
    await api.background.drain();
    const sent = api.mailbox().received.slice(before);
    expect(sent.map((mail) => mail.to)).toEqual([[ada.email]]);
    expect(sent[0]!.subject).toMatch(VERIFICATION_MAIL);
  });

  it('mails one address at most 3 times an hour, whoever asks, and is limited per IP alike for every address', async () => {
    const api = await createTestApp({ TRUST_PROXY: '1' }, { smtp: true });
    await api.gql(Register, ada);
    for (let i = 0; i < 3; i += 1) {
      expect(errorOf(await api.agent('x', `198.51.100.${i}`).gql(RequestEmailVerification, { email: ada.email }))).toBeNull();
    }
    expect(errorOf(await api.agent('x', '198.51.100.99').gql(RequestEmailVerification, { email: ada.email }))).toMatchObject({
      code: 'RATE_LIMITED',
    });

    const perIp = await createTestApp({ TRUST_PROXY: '1', RATE_LIMIT_VERIFICATION_REQUEST_PER_IP: '2/3600' }, { defaultLimits: true });
    const agent = perIp.agent('x', '203.0.113.7');
    await agent.gql(RequestEmailVerification, { email: 'a@example.com' });
    await agent.gql(RequestEmailVerification, { email: 'b@example.com' });
    const unknown = await agent.gql(RequestEmailVerification, { email: 'c@example.com' });
    expect(errorOf(unknown)).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('refuses a malformed email with BAD_USER_INPUT on the email argument', async () => {
    const api = await createTestApp();
    expect(errorOf(await api.gql(RequestEmailVerification, { email: 'not an address' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'email',
    });
  });
});

describe('EMAIL_VERIFICATION=required', () => {
  it("answers an unverified account's right password with EMAIL_NOT_VERIFIED and starts no session", async () => {
    const api = await createTestApp({ EMAIL_VERIFICATION: 'required' }, { smtp: true });
    await api.gql(Register, ada);
    const browser = api.agent();
    expect(errorOf(await browser.gql(Login, ada))).toEqual({ code: 'EMAIL_NOT_VERIFIED' });
    expect(browser.cookie).toBeNull();
    expect(await api.prisma.session.count()).toBe(0);

    await api.gql(VerifyEmail, { token: verificationTokenFrom(await api.verificationMailTo(ada.email)) });
    expect((await browser.gql(Login, ada)).data?.login).toMatchObject({ email: ada.email });
    expect(browser.cookie).not.toBeNull();
  });

  it('answers a wrong password INVALID_CREDENTIALS exactly as before, verified or not, known or not', async () => {
    const api = await createTestApp({ EMAIL_VERIFICATION: 'required' });
    await api.gql(Register, ada);
    const wrong = await api.gql(Login, { email: ada.email, password: 'not the password at all' });
    const unknown = await api.gql(Login, { email: 'nobody@example.com', password: 'not the password at all' });
    expect(errorOf(wrong)).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(wrong.errors).toEqual(unknown.errors);
  });

  it('lets an account in once a reset link proved the address', async () => {
    const api = await createTestApp({ EMAIL_VERIFICATION: 'required' }, { smtp: true });
    await api.gql(Register, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    const token = resetTokenFrom(await api.resetMailTo(ada.email));
    const newPassword = 'a brand new passphrase';
    expect((await api.gql(ResetPassword, { token, newPassword })).data).toEqual({ resetPassword: true });
    expect((await api.gql(Login, { email: ada.email, password: newPassword })).data?.login).toMatchObject({ email: ada.email });
  });
});

describe('resetPassword', () => {
  it('marks the address verified: the link reached the mailbox', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    await api.gql(ResetPassword, { token: resetTokenFrom(await api.resetMailTo(ada.email)), newPassword: 'a brand new passphrase' });
    expect((await api.prisma.user.findUniqueOrThrow({ where: { email: ada.email } })).emailVerified).toBe(true);
  });
});
