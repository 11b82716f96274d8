// Moving an account to another address (API.md, "Verified email"): the change waits for the link
// mailed to the new address, the old one is told, and a taken address is not revealed.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { holdFirst } from '../helpers/gate.ts';
import {
  ChangeEmail,
  Login,
  Me,
  Register,
  RequestPasswordReset,
  ResetPassword,
  Sessions,
  VerifyEmail,
  ada,
  bob,
} from '../helpers/operations.ts';
import { resetTokenFrom, verificationTokenFrom } from '../helpers/smtp.ts';

const newEmail = 'ada@new.example.com';
const CHANGE_NOTICE = /^A change of your email address was asked for$/;

describe('changeEmail', () => {
  it('needs a session, and the right password', async () => {
    const api = await createTestApp({}, { smtp: true });
    expect(errorOf(await api.gql(ChangeEmail, { newEmail, currentPassword: ada.password }))).toEqual({ code: 'UNAUTHENTICATED' });
    const browser = await api.signedIn();
    expect(errorOf(await browser.gql(ChangeEmail, { newEmail, currentPassword: 'not the password at all' }))).toEqual({
      code: 'INVALID_CREDENTIALS',
    });
    await api.background.drain();
    expect(api.mailbox().received.filter((mail) => mail.to.includes(newEmail))).toHaveLength(0);
  });

  it('changes the address only when the link mailed to the new one is used; tells the old one first', async () => {
    const api = await createTestApp({}, { smtp: true });
    const laptop = await api.signedIn({ userAgent: 'laptop' });
    const phone = await api.signedIn({ userAgent: 'phone' });
    await api.gql(RequestPasswordReset, { email: ada.email });
    const resetToken = resetTokenFrom(await api.resetMailTo(ada.email));

    expect((await laptop.gql(ChangeEmail, { newEmail: ' ADA@New.Example.com ', currentPassword: ada.password })).data).toEqual({
      changeEmail: true,
    });
    const notice = await api.mailTo(ada.email, CHANGE_NOTICE);
    expect(notice.text).not.toMatch(/token=/);
    const link = await api.verificationMailTo(newEmail);
    expect(link.subject).toBe('Confirm your new email address');
    expect((await laptop.gql(Me)).data?.me).toMatchObject({ email: ada.email });

    expect((await laptop.gql(VerifyEmail, { token: verificationTokenFrom(link) })).data).toEqual({ verifyEmail: true });
    expect((await laptop.gql(Me)).data?.me).toMatchObject({ email: newEmail, emailVerified: true });
    // Every other session ended; the one that used the link stays.
    expect((await phone.gql(Me)).data).toEqual({ me: null });
    expect((await laptop.gql(Sessions)).data?.sessions).toHaveLength(1);
    // A reset link mailed to the old address is void.
    expect(errorOf(await api.gql(ResetPassword, { token: resetToken, newPassword: 'a brand new passphrase' }))).toEqual({
      code: 'INVALID_TOKEN',
    });
    // The account now logs in with the new address only.
    expect(errorOf(await api.agent().gql(Login, ada))).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(errorOf(await api.agent().gql(Login, { email: newEmail, password: ada.password }))).toBeNull();
  });

  it('ends every session when the link is used from a browser without one', async () => {
    const api = await createTestApp({}, { smtp: true });
    const laptop = await api.signedIn();
    await laptop.gql(ChangeEmail, { newEmail, currentPassword: ada.password });
    await api.gql(VerifyEmail, { token: verificationTokenFrom(await api.verificationMailTo(newEmail)) });
    expect((await laptop.gql(Me)).data).toEqual({ me: null });
    expect(await api.prisma.session.count()).toBe(0);
  });

  it('answers true for an address that has an account, mails it nothing, and still tells the old address', async () => {
    const api = await createTestApp({}, { smtp: true });
    await api.gql(Register, bob);
    const browser = await api.signedIn();
    await api.background.drain();
    const before = api.mailbox().received.length;

    const taken = await browser.gql(ChangeEmail, { newEmail: bob.email, currentPassword: ada.password });
    const free = await browser.gql(ChangeEmail, { newEmail, currentPassword: ada.password });
    expect(taken.data).toEqual(free.data);
    expect(taken.errors).toEqual(free.errors);
    await api.background.drain();
    const sent = api.mailbox().received.slice(before);
    expect(sent.filter((mail) => mail.to.includes(bob.email))).toHaveLength(0);
    expect(sent.filter((mail) => mail.to.includes(ada.email) && CHANGE_NOTICE.test(mail.subject))).toHaveLength(2);
    expect(sent.filter((mail) => mail.to.includes(newEmail))).toHaveLength(1);
  });

  it('refuses the current address and a malformed one as input, naming newEmail', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    for (const value of [ada.email, ' Ada@Example.com', 'not an address']) {
      expect(errorOf(await browser.gql(ChangeEmail, { newEmail: value, currentPassword: ada.password }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'newEmail',
      });
    }
  });

  it('answers EMAIL_TAKEN when the new address got an account meanwhile, and changes nothing', async () => {
    const api = await createTestApp({}, { smtp: true });
    const browser = await api.signedIn();
    await browser.gql(ChangeEmail, { newEmail, currentPassword: ada.password });
    const token = verificationTokenFrom(await api.verificationMailTo(newEmail));
    await api.gql(Register, { email: newEmail, password: bob.password });
    expect(errorOf(await browser.gql(VerifyEmail, { token }))).toEqual({ code: 'EMAIL_TAKEN' });
    expect((await browser.gql(Me)).data?.me).toMatchObject({ email: ada.email });
  });

  it('voids the link of the old address once the address changed', async () => {
    const api = await createTestApp({}, { smtp: true });
    const browser = await api.signedIn();
    const registerLink = verificationTokenFrom(await api.verificationMailTo(ada.email));
    await browser.gql(ChangeEmail, { newEmail, currentPassword: ada.password });
    await browser.gql(VerifyEmail, { token: verificationTokenFrom(await api.verificationMailTo(newEmail)) });
    expect(errorOf(await browser.gql(VerifyEmail, { token: registerLink }))).toEqual({ code: 'INVALID_TOKEN' });
  });

  it('gives a contested address to exactly one of two accounts racing for it; the other gets EMAIL_TAKEN', async () => {
    const gate = holdFirst('verifyEmail');
    const api = await createTestApp({ DATABASE_URL: await freshDatabaseUrl() }, { smtp: true, hooks: { beforeEmailVerified: gate.hook } });
    const adaBrowser = await api.signedIn();
    const bobBrowser = await api.signedIn(bob);
    const contested = 'shared@example.com';
    await adaBrowser.gql(ChangeEmail, { newEmail: contested, currentPassword: ada.password });
    const adasToken = verificationTokenFrom(await api.verificationMailTo(contested));
    await bobBrowser.gql(ChangeEmail, { newEmail: contested, currentPassword: bob.password });
    const bobsToken = verificationTokenFrom(await api.verificationMailTo(contested));

    const adas = adaBrowser.gql(VerifyEmail, { token: adasToken }); // held after its token was found live
    await gate.reached;
    expect((await bobBrowser.gql(VerifyEmail, { token: bobsToken })).data).toEqual({ verifyEmail: true });
    gate.release();
    expect(errorOf(await adas)).toEqual({ code: 'EMAIL_TAKEN' });

    expect((await bobBrowser.gql(Me)).data?.me).toMatchObject({ email: contested });
    expect((await adaBrowser.gql(Me)).data?.me).toMatchObject({ email: ada.email });
    expect(await api.prisma.user.count({ where: { email: contested } })).toBe(1);
  });
});
