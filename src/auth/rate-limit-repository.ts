// The RateLimitStore on the database, in the `RateLimit` table {key, points, expire}. Each change
// is one INSERT … ON CONFLICT DO UPDATE … RETURNING, which SQLite and PostgreSQL both run
// atomically on the row's key: two instances adding to one counter at once are both counted
// (PostgreSQL locks the conflicting row; SQLite has one writer), so a burst of guesses cannot
// all read "4 of 5" and slip through. "Expired" is judged by the `now` the limiter passes
// (its injected clock), never by the database's or the process's own clock.
import type { DatabaseClient } from '../db/client.ts';
import type { Counter, RateLimitStore } from './rate-limit-store.ts';

interface Row {
  points: number | bigint;
  expire: Date | string;
}

export class PrismaRateLimitStore implements RateLimitStore {
  constructor(private readonly prisma: DatabaseClient) {}

  async addPoints(key: string, points: number, expiresAt: Date, now: Date): Promise<Counter> {
    // In DO UPDATE, the table's columns are the row before the update in both CASEs, and
    // `excluded` is the row we tried to insert. A NULL expiry (never written here) never expires.
    const rows = await this.prisma.$queryRaw<Row[]>`
      INSERT INTO "RateLimit" ("key", "points", "expire") VALUES (${key}, ${points}, ${expiresAt})
      ON CONFLICT ("key") DO UPDATE SET
        "points" = CASE WHEN "RateLimit"."expire" <= ${now} THEN excluded."points" ELSE "RateLimit"."points" + excluded."points" END,
        "expire" = CASE WHEN "RateLimit"."expire" <= ${now} THEN excluded."expire" ELSE "RateLimit"."expire" END
      RETURNING "points", "expire"`;
    const row = rows[0]!;
    return { points: Number(row.points), expiresAt: new Date(row.expire) };
  }

  async readCounter(key: string, now: Date): Promise<Counter | null> {
    const row = await this.prisma.rateLimit.findUnique({ where: { key }, select: { points: true, expire: true } });
    // A NULL expiry never expires (see addPoints); none is written here.
    const expiresAt = row?.expire ?? null;
    if (row === null || (expiresAt !== null && expiresAt <= now)) return null;
    return { points: row.points, expiresAt: expiresAt ?? new Date(8.64e15) };
  }

  async deleteCounters(keys: string[]): Promise<void> {
    await this.prisma.rateLimit.deleteMany({ where: { key: { in: keys } } });
  }
}
