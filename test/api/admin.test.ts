// The operators' operations (API.md, "Operators"): who may call them, and what each does.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { root, signedInAdmin } from '../helpers/admin.ts';
import {
  DeleteUser,
  DisableUser,
  EnableUser,
  Login,
  Me,
  Register,
  RevokeUserSessions,
  SetUserRole,
  Users,
  ada,
  bob,
} from '../helpers/operations.ts';

describe('users', () => {
  it('finds accounts by a part of their email, whatever its case, oldest first, a page at a time', async () => {
    const api = await createTestApp();
    const admin = await signedInAdmin(api);
    const emails = ['carol@example.com', 'dave@Example.org', 'erin@example.com', 'frank@example.com', 'grace@example.com'];
    for (const email of emails) {
      api.clock.advanceSeconds(1);
      await api.gql(Register, { email, password: 'a long enough passphrase' });
    }

    const all = await admin.gql(Users, { search: 'EXAMPLE.COM' });
    expect(all.data?.users.edges.map((edge) => edge.node.email)).toEqual([
      root.email,
      'carol@example.com',
      'erin@example.com',
      'frank@example.com',
      'grace@example.com',
    ]);
    expect(all.data?.users.pageInfo.hasNextPage).toBe(false);

    const first = await admin.gql(Users, { search: 'example.com', first: 2 });
    expect(first.data?.users.edges.map((edge) => edge.node.email)).toEqual([root.email, 'carol@example.com']);
    expect(first.data?.users.pageInfo).toEqual({ hasNextPage: true, endCursor: first.data?.users.edges[1]?.cursor });
    // An account registered meanwhile does not shift the pages.
    await api.gql(Register, { email: 'aaron@example.com', password: 'a long enough passphrase' });
    const second = await admin.gql(Users, { search: 'example.com', first: 2, after: first.data?.users.pageInfo.endCursor });
    expect(second.data?.users.edges.map((edge) => edge.node.email)).toEqual(['erin@example.com', 'frank@example.com']);

    const exact = await admin.gql(Users, { search: 'dave@' });
    expect(exact.data?.users.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ email: 'dave@example.org', role: 'USER', disabled: false, emailVerified: false }),
    ]);
  });

  it('treats the search as text: % and _ match only themselves', async () => {
    const api = await createTestApp();
    const admin = await signedInAdmin(api);
    await api.gql(Register, { email: 'under_score@example.com', password: 'a long enough passphrase' });
    await api.gql(Register, { email: 'underXscore@example.com', password: 'a long enough passphrase' });
    const found = await admin.gql(Users, { search: 'under_' });
    expect(found.data?.users.edges.map((edge) => edge.node.email)).toEqual(['under_score@example.com']);
    expect((await admin.gql(Users, { search: '%' })).data?.users.edges).toEqual([]);
    expect((await admin.gql(Users, { search: '\\' })).data?.users.edges).toEqual([]);
  });

  it('refuses a page over 100, under 1, and a cursor it did not give, naming the argument', async () => {
    const api = await createTestApp();
    const admin = await signedInAdmin(api);
    expect(errorOf(await admin.gql(Users, { first: 101 }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(errorOf(await admin.gql(Users, { first: 0 }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(errorOf(await admin.gql(Users, { after: 'bm90IGEgY3Vyc29y' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect((await admin.gql(Users, { first: 100 })).data?.users.edges).toHaveLength(1);
  });
});

describe('disableUser and enableUser', () => {
  it("ends the user's sessions on every instance at once; the right password then answers ACCOUNT_DISABLED, a wrong one INVALID_CREDENTIALS", async () => {
    const databaseUrl = await freshDatabaseUrl();
    const one = await createTestApp({ DATABASE_URL: databaseUrl });
    const two = await createTestApp({ DATABASE_URL: databaseUrl });
    const admin = await signedInAdmin(one);
    const adasPhone = await two.signedIn(); // ada's session lives on the other instance
    await one.background.drain();
    await two.background.drain();
    const adaId = adasPhone.user.id;

    expect((await admin.gql(DisableUser, { id: adaId })).data).toEqual({ disableUser: true });
    expect((await adasPhone.gql(Me)).data).toEqual({ me: null });
    expect(await two.prisma.session.count({ where: { userId: adaId } })).toBe(0);
    expect(errorOf(await two.agent().gql(Login, ada))).toEqual({ code: 'ACCOUNT_DISABLED' });
    expect(errorOf(await two.agent().gql(Login, { email: ada.email, password: 'not the password at all' }))).toEqual({
      code: 'INVALID_CREDENTIALS',
    });
    const listed = await admin.gql(Users, { search: ada.email });
    expect(listed.data?.users.edges[0]?.node.disabled).toBe(true);

    expect((await admin.gql(EnableUser, { id: adaId })).data).toEqual({ enableUser: true });
    expect(errorOf(await two.agent().gql(Login, ada))).toBeNull();
  });

  it('answers false for an unknown id, and refuses to disable oneself', async () => {
    const api = await createTestApp();
    const admin = await signedInAdmin(api);
    expect((await admin.gql(DisableUser, { id: 'no-such-user' })).data).toEqual({ disableUser: false });
    expect((await admin.gql(EnableUser, { id: 'no-such-user' })).data).toEqual({ enableUser: false });
    const me = (await admin.gql(Me)).data!.me!;
    expect(errorOf(await admin.gql(DisableUser, { id: me.id }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

describe('revokeUserSessions', () => {
  it('ends every session of the user and answers how many', async () => {
    const api = await createTestApp();
    const admin = await signedInAdmin(api);
    const laptop = await api.signedIn();
    await api.signedIn();
    expect((await admin.gql(RevokeUserSessions, { id: laptop.user.id })).data).toEqual({ revokeUserSessions: 2 });
    expect((await laptop.gql(Me)).data).toEqual({ me: null });
    expect((await admin.gql(RevokeUserSessions, { id: laptop.user.id })).data).toEqual({ revokeUserSessions: 0 });
  });
});

describe('setUserRole', () => {
  it("counts from the user's next request, promotion and demotion alike, and not on oneself", async () => {
    const api = await createTestApp();
    const admin = await signedInAdmin(api);
    const bobs = await api.signedIn(bob);
    expect(errorOf(await bobs.gql(Users, {}))).toEqual({ code: 'FORBIDDEN' });

    expect((await admin.gql(SetUserRole, { id: bobs.user.id, role: 'ADMIN' })).data).toEqual({ setUserRole: true });
    expect(errorOf(await bobs.gql(Users, {}))).toBeNull();
    expect((await bobs.gql('{ me { role } }')).data).toEqual({ me: { role: 'ADMIN' } });

    expect((await admin.gql(SetUserRole, { id: bobs.user.id, role: 'USER' })).data).toEqual({ setUserRole: true });
    expect(errorOf(await bobs.gql(Users, {}))).toEqual({ code: 'FORBIDDEN' });

    const me = (await admin.gql(Me)).data!.me!;
    expect(errorOf(await admin.gql(SetUserRole, { id: me.id, role: 'USER' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await admin.gql(SetUserRole, { id: 'no-such-user', role: 'ADMIN' })).data).toEqual({ setUserRole: false });
  });
});

describe('deleteUser', () => {
  it('removes the user with everything of theirs; false for an unknown id; not oneself', async () => {
    const api = await createTestApp();
    const admin = await signedInAdmin(api);
    const adas = await api.signedIn();
    expect((await admin.gql(DeleteUser, { id: adas.user.id })).data).toEqual({ deleteUser: true });
    expect((await adas.gql(Me)).data).toEqual({ me: null });
    expect(await api.prisma.user.count({ where: { email: ada.email } })).toBe(0);
    expect(await api.prisma.session.count({ where: { userId: adas.user.id } })).toBe(0);
    expect((await admin.gql(DeleteUser, { id: adas.user.id })).data).toEqual({ deleteUser: false });
    const me = (await admin.gql(Me)).data!.me!;
    expect(errorOf(await admin.gql(DeleteUser, { id: me.id }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

describe('audit', () => {
  it('records every administrator action with the actor and the target', async () => {
    const api = await createTestApp();
    const admin = await signedInAdmin(api);
    const adminId = (await admin.gql(Me)).data!.me!.id;
    const adas = await api.signedIn();
    const target = adas.user.id;
    await admin.gql(DisableUser, { id: target });
    await admin.gql(EnableUser, { id: target });
    await admin.gql(RevokeUserSessions, { id: target });
    await admin.gql(SetUserRole, { id: target, role: 'ADMIN' });
    await admin.gql(DeleteUser, { id: target });
    const lines = api.logs.lines.filter((l) => l.audit === true && String(l.event).startsWith('admin-'));
    expect(lines.map((l) => [l.event, l.outcome, l.actorId, l.userId])).toEqual([
      ['admin-user-disabled', 'success', adminId, target],
      ['admin-user-enabled', 'success', adminId, target],
      ['admin-sessions-revoked', 'success', adminId, target],
      ['admin-role-changed', 'success', adminId, target],
      ['admin-user-deleted', 'success', adminId, target],
    ]);
  });
});
