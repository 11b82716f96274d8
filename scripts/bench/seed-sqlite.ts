// Seeds a migrated SQLite file directly with better-sqlite3: prepared statements in large
// transactions, with fsync off while seeding (the file is thrown away if the seed fails).
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { SESSIONS_PER_USER, randomTokenHash, scaleEmail, sessionKind, sessionTimes } from './seed-plan.ts';

const USERS_PER_TRANSACTION = 20_000;

/** Prisma's SQLite adapter writes DateTimes as ISO-8601 with an explicit offset. */
const stamp = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

export function seedSqlite(filePath: string, users: number, passwordHash: string): void {
  const db = new Database(filePath);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1048576'); // 1 GiB: random keys, five indexes on Session
    const insertUser = db.prepare(
      'INSERT INTO "User" ("id", "email", "passwordHash", "createdAt", "passwordChangedAt", "credentialVersion") VALUES (?, ?, ?, ?, ?, 0)',
    );
    const insertSession = db.prepare(
      `INSERT INTO "Session" ("id", "tokenHash", "userId", "createdAt", "lastSeenAt", "expiresAt", "userAgent", "ipAddress", "credentialVersion")
       VALUES (?, ?, ?, ?, ?, ?, 'scale-seed', '203.0.113.7', 0)`,
    );
    const now = Date.now();
    const accountCreated = stamp(now - 60 * 86_400_000);
    const seedUsers = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i += 1) {
        const userId = randomUUID();
        insertUser.run(userId, scaleEmail(i), passwordHash, accountCreated, accountCreated);
        for (let j = 0; j < SESSIONS_PER_USER; j += 1) {
          const k = i * SESSIONS_PER_USER + j;
          const t = sessionTimes(sessionKind(k), k);
          insertSession.run(
            randomUUID(),
            randomTokenHash(),
            userId,
            stamp(now - t.createdAgo),
            stamp(now - t.lastSeenAgo),
            stamp(now - t.expiresAgo),
          );
        }
      }
    });
    for (let from = 0; from < users; from += USERS_PER_TRANSACTION) seedUsers(from, Math.min(users, from + USERS_PER_TRANSACTION));
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
