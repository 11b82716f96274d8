// A password reset or change must end an attacker's access, also when it overlaps a request
// that checked the old password. Each race is forced: the attacker's request is held by a hook
// right after its password check, the victim's request runs to the end, then the hold is lifted.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp } from '../helpers/app.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { holdFirst } from '../helpers/gate.ts';
import { ChangePassword, Login, Me, Register, RequestPasswordReset, ResetPassword, ada } from '../helpers/operations.ts';
import { resetTokenFrom } from '../helpers/smtp.ts';

const victimsNewPassword = 'the owner took it back';
const attackersPassword = 'the attacker keeps it';

/** Two instances on one database (the second is the victim's), the first one's hook held. */
async function twoInstances(held: 'login' | 'changePassword', separate: boolean) {
  const gate = holdFirst(held);
  const databaseUrl = await freshDatabaseUrl();
  const attackers = await createTestApp({ DATABASE_URL: databaseUrl }, { hooks: { afterPasswordCheck: gate.hook }, smtp: true });
  const victims = separate ? await createTestApp({ DATABASE_URL: databaseUrl }, { smtp: true }) : attackers;
  await victims.gql(Register, ada);
  // register's verification mail writes its token after the response. Both instances share this
  // test's process, where better-sqlite3 waits for a lock synchronously: a write of the other
  // instance meanwhile would block the very event loop that must finish that transaction.
  await victims.background.drain();
  return { gate, attackers, victims };
}

/** The owner asks for a reset on the victims' instance and reads the link from the mail. */
async function mailedResetToken(victims: TestApp): Promise<string> {
  await victims.gql(RequestPasswordReset, { email: ada.email });
  return resetTokenFrom(await victims.resetMailTo(ada.email));
}

describe.each([
  ['one instance', false],
  ['two instances on one database', true],
])('a reset overlapping an attacker, %s', (_label, separate) => {
  it('refuses a login whose old password was checked before the reset committed, and leaves no session', async () => {
    const { gate, attackers, victims } = await twoInstances('login', separate);
    const token = await mailedResetToken(victims);
    const attacker = attackers.agent('attacker');

    const login = attacker.gql(Login, ada);
    await gate.reached;
    expect((await victims.gql(ResetPassword, { token, newPassword: victimsNewPassword })).data).toEqual({ resetPassword: true });
    gate.release();

    expect(errorOf(await login)).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(attacker.cookie).toBeNull();
    expect(await victims.prisma.session.count()).toBe(0);
  });

  it("refuses an attacker's changePassword checked before the reset, so the reset stands", async () => {
    const { gate, attackers, victims } = await twoInstances('changePassword', separate);
    const attacker = await attackers.signedIn({ userAgent: 'attacker' });
    const token = await mailedResetToken(victims);

    const change = attacker.gql(ChangePassword, { currentPassword: ada.password, newPassword: attackersPassword });
    await gate.reached;
    expect((await victims.gql(ResetPassword, { token, newPassword: victimsNewPassword })).data).toEqual({ resetPassword: true });
    gate.release();

    expect(errorOf(await change)).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(errorOf(await victims.agent('attacker again').gql(Login, { email: ada.email, password: attackersPassword }))).toEqual({
      code: 'INVALID_CREDENTIALS',
    });
    expect((await victims.agent('owner').gql(Login, { email: ada.email, password: victimsNewPassword })).data?.login.email).toBe(ada.email);
    expect(await victims.prisma.session.count()).toBe(1);
  });
});

describe('sessions started before the last password change', () => {
  it('are dead at lookup, even if a row survived the change', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    expect((await browser.gql(Me)).data?.me?.email).toBe(ada.email);
    // As if a password change had committed without deleting this session.
    await api.prisma.user.update({ where: { email: ada.email }, data: { credentialVersion: { increment: 1 } } });
    expect((await browser.gql(Me)).data?.me).toBeNull();
  });
});
