import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { LogoutEverywhere, Me, RevokeSession, Sessions, ada, bob } from '../helpers/operations.ts';

const DAY = 86400;

describe('me', () => {
  it('is null without a cookie, and with a cookie that is not a session', async () => {
    const api = await createTestApp();
    expect((await api.gql(Me)).data).toEqual({ me: null });
    api.main.cookie = 'A'.repeat(43);
    expect((await api.gql(Me)).data).toEqual({ me: null });
    api.main.cookie = 'not even base64url!';
    expect((await api.gql(Me)).data).toEqual({ me: null });
  });

  it('is the signed-in user', async () => {
    const api = await createTestApp();
    const agent = await api.signedIn();
    expect((await agent.gql(Me)).data?.me).toMatchObject({ email: ada.email });
  });
});

describe('session lifetime', () => {
  it('ends at the absolute lifetime however busy the session is', async () => {
    const api = await createTestApp({ SESSION_MAX_AGE_SECONDS: String(3 * DAY), SESSION_IDLE_TIMEOUT_SECONDS: String(2 * DAY) });
    const agent = await api.signedIn();
    for (let day = 0; day < 2; day += 1) {
      api.clock.advanceSeconds(DAY);
      expect((await agent.gql(Me)).data?.me).not.toBeNull();
      await api.background.drain();
    }
    api.clock.advanceSeconds(DAY);
    expect((await agent.gql(Me)).data).toEqual({ me: null });
  });

  it('ends after the idle timeout, and activity within it keeps it alive', async () => {
    const api = await createTestApp();
    const agent = await api.signedIn();
    api.clock.advanceSeconds(6 * DAY);
    expect((await agent.gql(Me)).data?.me).not.toBeNull();
    await api.background.drain();
    api.clock.advanceSeconds(6 * DAY);
    expect((await agent.gql(Me)).data?.me).not.toBeNull();
    await api.background.drain();
    api.clock.advanceSeconds(7 * DAY);
    expect((await agent.gql(Me)).data).toEqual({ me: null });
  });

  it('writes lastSeenAt for a request a minute after the last write, not for one 30 seconds after', async () => {
    const api = await createTestApp();
    const agent = await api.signedIn();
    const loginAt = api.clock.now();
    const lastSeen = async () => (await api.prisma.session.findFirstOrThrow()).lastSeenAt.getTime();

    api.clock.advanceSeconds(30);
    await agent.gql(Me);
    await api.background.drain();
    expect(await lastSeen()).toBe(loginAt.getTime());

    api.clock.advanceSeconds(31);
    await agent.gql(Me);
    await api.background.drain();
    expect(await lastSeen()).toBe(api.clock.now().getTime());
  });
});

describe('sessions', () => {
  it("lists the caller's live sessions and marks the current one", async () => {
    const api = await createTestApp();
    const laptop = await api.signedIn({ userAgent: 'laptop' });
    api.clock.advanceSeconds(60);
    const phone = await api.signedIn({ userAgent: 'phone' });
    await api.signedIn({ ...bob, userAgent: 'bob-browser' });

    const result = await phone.gql(Sessions);
    expect(errorOf(result)).toBeNull();
    const sessions = result.data!.sessions;
    expect(sessions.map((s) => [s.userAgent, s.current])).toEqual([
      ['phone', true],
      ['laptop', false],
    ]);
    const rows = await api.prisma.session.findMany();
    for (const s of sessions) {
      expect(rows.some((r) => r.id === s.id)).toBe(true);
      expect(rows.some((r) => r.tokenHash === s.id)).toBe(false);
    }
    expect(new Date(sessions[0]!.expiresAt).getTime()).toBe(api.clock.now().getTime() + 30 * DAY * 1000);
    expect((await laptop.gql(Sessions)).data!.sessions.find((s) => s.current)?.userAgent).toBe('laptop');
  });

  it('leaves out sessions that have gone idle', async () => {
    const api = await createTestApp();
    await api.signedIn({ userAgent: 'old laptop' });
    api.clock.advanceSeconds(7 * DAY + 1);
    const phone = await api.signedIn({ userAgent: 'phone' });
    expect((await phone.gql(Sessions)).data!.sessions.map((s) => s.userAgent)).toEqual(['phone']);
  });

  it('answers UNAUTHENTICATED without a session', async () => {
    const api = await createTestApp();
    const result = await api.gql(Sessions);
    expect(errorOf(result)).toEqual({ code: 'UNAUTHENTICATED' });
    expect(result.data).toBeNull();
  });
});

describe('revokeSession', () => {
  it("ends one of the caller's own sessions", async () => {
    const api = await createTestApp();
    const laptop = await api.signedIn({ userAgent: 'laptop' });
    const phone = await api.signedIn({ userAgent: 'phone' });
    const phoneSession = (await phone.gql(Sessions)).data!.sessions.find((s) => s.current)!;

    expect((await laptop.gql(RevokeSession, { id: phoneSession.id })).data).toEqual({ revokeSession: true });
    expect((await phone.gql(Me)).data).toEqual({ me: null });
    expect((await laptop.gql(Me)).data?.me).not.toBeNull();
  });

  it("answers false alike for an unknown id and another user's session, and ends neither", async () => {
    const api = await createTestApp();
    const adaAgent = await api.signedIn();
    const bobAgent = await api.signedIn(bob);
    const bobSession = (await bobAgent.gql(Sessions)).data!.sessions[0]!;

    const foreign = await adaAgent.gql(RevokeSession, { id: bobSession.id });
    const unknown = await adaAgent.gql(RevokeSession, { id: '00000000-0000-4000-8000-000000000000' });
    expect(foreign.data).toEqual({ revokeSession: false });
    expect(unknown).toEqual({ ...foreign, headers: unknown.headers });
    expect((await bobAgent.gql(Me)).data?.me).not.toBeNull();
  });

  it('clears the cookie when the caller revokes its own current session', async () => {
    const api = await createTestApp();
    const agent = await api.signedIn();
    const current = (await agent.gql(Sessions)).data!.sessions[0]!;
    await agent.gql(RevokeSession, { id: current.id });
    expect(agent.cookie).toBeNull();
  });

  it('answers UNAUTHENTICATED without a session', async () => {
    const api = await createTestApp();
    expect(errorOf(await api.gql(RevokeSession, { id: 'x' }))).toEqual({ code: 'UNAUTHENTICATED' });
  });
});

describe('logoutEverywhere', () => {
  it("ends all the caller's sessions, returns how many, and clears the cookie", async () => {
    const api = await createTestApp();
    const laptop = await api.signedIn({ userAgent: 'laptop' });
    const phone = await api.signedIn({ userAgent: 'phone' });
    const bobAgent = await api.signedIn(bob);

    expect((await laptop.gql(LogoutEverywhere)).data).toEqual({ logoutEverywhere: 2 });
    expect(laptop.cookie).toBeNull();
    expect((await phone.gql(Me)).data).toEqual({ me: null });
    expect((await bobAgent.gql(Me)).data?.me).not.toBeNull();
  });

  it('answers UNAUTHENTICATED without a session', async () => {
    const api = await createTestApp();
    expect(errorOf(await api.gql(LogoutEverywhere))).toEqual({ code: 'UNAUTHENTICATED' });
  });
});
