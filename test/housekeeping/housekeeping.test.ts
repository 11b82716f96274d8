// Housekeeping sweeps dead rows in bounded batches, yielding between them (issue 16): many expired
// rows go over several batches, live rows stay, and requests are served while a run is under way.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { Me, ada } from '../helpers/operations.ts';

const DAY_MS = 86_400_000;
const ago = (api: TestApp, ms: number) => new Date(api.clock.now().getTime() - ms);
const ahead = (api: TestApp, ms: number) => new Date(api.clock.now().getTime() + ms);

/** Rows written in bulk, as a large deployment holds them; every token hash is unique and random. */
async function seed(api: TestApp, userId: string) {
  await api.prisma.rateLimit.deleteMany(); // the sign-in's counters: the counts below are the seeded ones
  const session = (expiresAt: Date, lastSeenAt: Date) => ({
    id: randomUUID(),
    tokenHash: randomUUID(),
    userId,
    createdAt: ago(api, 2 * DAY_MS),
    lastSeenAt,
    expiresAt,
  });
  const many = <T>(count: number, row: () => T) => Array.from({ length: count }, row);
  await api.prisma.session.createMany({
    data: [
      ...many(1_500, () => session(ago(api, 1000), ago(api, DAY_MS))), // expired
      ...many(400, () => session(ahead(api, DAY_MS), ago(api, 8 * DAY_MS))), // idle (7 days by default)
      ...many(300, () => session(ahead(api, DAY_MS), ago(api, DAY_MS))), // live
    ],
  });
  const token = (expiresAt: Date, usedAt: Date | null) => ({
    id: randomUUID(),
    tokenHash: randomUUID(),
    userId,
    createdAt: ago(api, DAY_MS),
    expiresAt,
    usedAt,
  });
  await api.prisma.passwordResetToken.createMany({
    data: [
      ...many(250, () => token(ago(api, 1000), null)),
      ...many(30, () => token(ahead(api, 1000), ago(api, 1000))),
      ...many(20, () => token(ahead(api, 1000), null)),
    ],
  });
  const device = (expiresAt: Date) => ({ id: randomUUID(), tokenHash: randomUUID(), userId, createdAt: ago(api, DAY_MS), expiresAt });
  await api.prisma.trustedDevice.createMany({
    data: [...many(220, () => device(ago(api, 1))), ...many(10, () => device(ahead(api, DAY_MS)))],
  });
  const counter = (expire: Date) => ({ key: `loginPerIp:${randomUUID()}`, points: 1, expire });
  await api.prisma.rateLimit.createMany({
    data: [...many(330, () => counter(ago(api, 1))), ...many(5, () => counter(ahead(api, 60_000)))],
  });
  const link = (expiresAt: Date) => ({
    id: randomUUID(),
    tokenHash: randomUUID(),
    userId,
    email: 'ada@example.com',
    createdAt: ago(api, DAY_MS),
    expiresAt,
  });
  await api.prisma.emailVerificationToken.createMany({
    data: [...many(150, () => link(ago(api, 1))), ...many(3, () => link(ahead(api, DAY_MS)))],
  });
}

async function counts(api: TestApp) {
  return {
    sessions: await api.prisma.session.count(),
    resetTokens: await api.prisma.passwordResetToken.count(),
    trustedDevices: await api.prisma.trustedDevice.count(),
    rateLimits: await api.prisma.rateLimit.count(),
    verificationTokens: await api.prisma.emailVerificationToken.count(),
  };
}

describe('housekeeping', () => {
  it('removes many dead rows over several bounded batches, keeps live ones, and serves requests between batches', async () => {
    const api = await createTestApp();
    const reader = await api.signedIn();
    api.clock.advanceSeconds(3600); // the reader's session ages, but stays live
    await seed(api, reader.user.id);
    const before = await counts(api);

    const answeredMidRun: Array<{ email: string | undefined; sessionsLeft: number }> = [];
    let batches = 0;
    const summary = await api.housekeeping.run({
      batchSize: 100,
      async betweenBatches() {
        batches += 1;
        // A request made and answered while the run waits between its 3rd and 4th batch.
        if (batches === 3) {
          const me = await reader.gql(Me);
          answeredMidRun.push({ email: me.data?.me?.email, sessionsLeft: await api.prisma.session.count() });
        }
      },
    });

    // Served mid-run: expired sessions were still waiting for later batches when it was answered.
    expect(answeredMidRun).toEqual([{ email: ada.email, sessionsLeft: expect.any(Number) }]);
    expect(answeredMidRun[0]!.sessionsLeft).toBeGreaterThan(301 + 1_000);
    expect(summary.removed).toEqual({
      'sessions expired': 1_500,
      'sessions idle': 400,
      'reset tokens expired': 250,
      'reset tokens used': 30,
      'trusted devices expired': 220,
      'rate-limit counters expired': 330,
      'verification tokens expired': 150,
      'mfa challenges expired': 0,
      'passkey challenges expired': 0,
    });
    // 15+1, 4+1, 3, 1, 3, 4, 2, 1, 1: each sweep stops at its first short batch.
    expect(summary.batches).toBe(36);
    expect(batches).toBe(36);
    expect(summary.complete).toBe(true);
    expect(await counts(api)).toEqual({
      sessions: before.sessions - 1_900,
      resetTokens: before.resetTokens - 280,
      trustedDevices: before.trustedDevices - 220,
      rateLimits: before.rateLimits - 330,
      verificationTokens: before.verificationTokens - 150,
    });
    expect((await reader.gql(Me)).data?.me?.email).toBe(ada.email);

    const logged = api.logs.lines.filter((line) => line.msg === 'housekeeping run done');
    expect(logged).toEqual([
      expect.objectContaining({
        housekeeping: {
          removed: summary.removed,
          batches: 36,
          durationMs: expect.any(Number),
          longestStallMs: expect.any(Number),
          complete: true,
        },
      }),
    ]);
  });

  it('is resumable: a run stopped between batches loses nothing, and the next one finishes the work', async () => {
    const api = await createTestApp();
    const reader = await api.signedIn();
    await seed(api, reader.user.id);
    let batches = 0;
    const stopped = await api.housekeeping.run({
      batchSize: 100,
      betweenBatches: async () => {
        batches += 1;
      },
      isStopping: () => batches >= 4,
    });
    expect(stopped).toMatchObject({ complete: false, batches: 4, removed: { 'sessions expired': 400 } });

    const resumed = await api.housekeeping.run({ batchSize: 100 });
    expect(resumed.complete).toBe(true);
    expect(resumed.removed['sessions expired']).toBe(1_100);
    expect(await counts(api)).toMatchObject({ sessions: 301, resetTokens: 20, trustedDevices: 10 + 1, rateLimits: 5 });
    expect((await reader.gql(Me)).data?.me?.email).toBe(ada.email);
  });

  it('judges by the service clock: rows expire when the clock passes them, not before', async () => {
    const api = await createTestApp();
    const reader = await api.signedIn();
    const sessionIdleSeconds = api.config.sessionIdleTimeoutSeconds;

    api.clock.advanceSeconds(sessionIdleSeconds - 1);
    expect((await api.housekeeping.run()).removed['sessions idle']).toBe(0);
    expect((await reader.gql(Me)).data?.me?.email).toBe(ada.email); // use renews it

    api.clock.advanceSeconds(sessionIdleSeconds);
    expect((await api.housekeeping.run()).removed['sessions idle']).toBe(1);
    expect(await api.prisma.session.count()).toBe(0);
  });
});
