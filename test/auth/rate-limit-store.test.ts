// The database counter store (src/auth/rate-limit-repository.ts) on both databases: expiry is
// judged by the `now` it is given, rows read the same as Prisma writes them, and concurrent
// additions from two instances are each counted once.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { PrismaRateLimitStore } from '../../src/auth/rate-limit-repository.ts';
import { openDatabase } from '../../src/db/client.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';

const at = (iso: string) => new Date(iso);
const pool = { databasePoolSize: 10, databaseConnectTimeoutSeconds: 5, databaseStatementTimeoutSeconds: 10 };

async function openInstance(url: string) {
  const database = openDatabase({ databaseUrl: url, ...pool });
  onTestFinished(() => database.close());
  return { prisma: database.prisma, store: new PrismaRateLimitStore(database.prisma) };
}

const originalTimeZone = process.env.TZ;
afterEach(() => {
  if (originalTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = originalTimeZone;
});

describe('the database counter store', () => {
  it('starts a counter at its points and keeps its first expiry while it lives, in any time zone', async () => {
    process.env.TZ = 'America/New_York';
    const { store, prisma } = await openInstance(await freshDatabaseUrl());
    const now = at('2026-12-01T10:00:00.000Z');
    expect(await store.addPoints('k', 1, at('2026-12-01T10:01:00.000Z'), now)).toEqual({
      points: 1,
      expiresAt: at('2026-12-01T10:01:00.000Z'),
    });
    expect(await store.addPoints('k', 1, at('2026-12-01T10:01:30.000Z'), at('2026-12-01T10:00:30.000Z'))).toEqual({
      points: 2,
      expiresAt: at('2026-12-01T10:01:00.000Z'),
    });
    expect(await store.addPoints('k', -1, at('2026-12-01T10:01:30.000Z'), at('2026-12-01T10:00:30.000Z'))).toEqual({
      points: 1,
      expiresAt: at('2026-12-01T10:01:00.000Z'),
    });
    expect(await prisma.rateLimit.findUnique({ where: { key: 'k' } })).toEqual({
      key: 'k',
      points: 1,
      expire: at('2026-12-01T10:01:00.000Z'),
    });
  });

  it('reads a live counter without changing anything, and nothing once it has expired', async () => {
    const { store, prisma } = await openInstance(await freshDatabaseUrl());
    const expire = at('2026-12-01T10:01:00.000Z');
    expect(await store.readCounter('k', at('2026-12-01T10:00:00.000Z'))).toBeNull();
    expect(await prisma.rateLimit.count()).toBe(0);
    await store.addPoints('k', 3, expire, at('2026-12-01T10:00:00.000Z'));
    expect(await store.readCounter('k', at('2026-12-01T10:00:59.999Z'))).toEqual({ points: 3, expiresAt: expire });
    expect(await store.readCounter('k', expire)).toBeNull();
    expect(await prisma.rateLimit.findUnique({ where: { key: 'k' } })).toEqual({ key: 'k', points: 3, expire });
  });

  it('starts afresh once the given now reaches the expiry of a row Prisma wrote, not a millisecond before', async () => {
    const { store, prisma } = await openInstance(await freshDatabaseUrl());
    const expire = at('2026-12-01T10:01:00.000Z');
    await prisma.rateLimit.create({ data: { key: 'k', points: 7, expire } });
    expect(await store.addPoints('k', 1, at('2026-12-01T10:02:00.000Z'), at('2026-12-01T10:00:59.999Z'))).toEqual({
      points: 8,
      expiresAt: expire,
    });
    expect(await store.addPoints('k', 1, at('2026-12-01T10:02:00.000Z'), expire)).toEqual({
      points: 1,
      expiresAt: at('2026-12-01T10:02:00.000Z'),
    });
  });

  it('counts each of concurrent additions from two instances once', async () => {
    const url = await freshDatabaseUrl();
    const instances = [await openInstance(url), await openInstance(url)];
    const now = at('2026-12-01T10:00:00.000Z');
    const expiresAt = at('2026-12-01T11:00:00.000Z');
    const counters = await Promise.all(Array.from({ length: 30 }, (_, i) => instances[i % 2]!.store.addPoints('burst', 1, expiresAt, now)));
    expect(counters.map((c) => c.points).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('forgets the counters it is asked to, and no other', async () => {
    const { store, prisma } = await openInstance(await freshDatabaseUrl());
    const now = at('2026-12-01T10:00:00.000Z');
    for (const key of ['a', 'b', 'c']) await store.addPoints(key, 1, at('2026-12-01T11:00:00.000Z'), now);
    await store.deleteCounters(['a', 'c']);
    expect((await prisma.rateLimit.findMany({ select: { key: true } })).map((row) => row.key)).toEqual(['b']);
  });
});
