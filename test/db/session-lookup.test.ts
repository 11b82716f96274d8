// The hot path's hand-written lookup (src/db/session-lookup.ts) must read the same session and
// user that Prisma reads from the same rows, on both databases: a renamed column, a date read
// in the wrong time zone or a stale read after logout would show here.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { sessionFields, userFields } from '../../src/auth/repository.ts';
import { hashToken } from '../../src/auth/tokens.ts';
import { parseSqliteDateTime, sqliteSessionLookup } from '../../src/db/session-lookup.ts';
import { createTestApp } from '../helpers/app.ts';

const originalTimeZone = process.env.TZ;
afterEach(() => {
  if (originalTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = originalTimeZone;
});

async function loggedIn() {
  const api = await createTestApp();
  const browser = await api.signedIn();
  return { api, tokenHash: hashToken(browser.cookie!) };
}

describe('session lookup by token hash', () => {
  it('reads the session and its user exactly as Prisma reads them, in a time zone that is not UTC', async () => {
    // Dates stored as UTC must not be read as local time (pg's default for TIMESTAMP, and
    // `new Date()` on SQLite's CURRENT_TIMESTAMP format).
    process.env.TZ = 'America/New_York';
    const { api, tokenHash } = await loggedIn();
    const viaPrisma = await api.prisma.session.findUniqueOrThrow({
      where: { tokenHash },
      select: { ...sessionFields, user: { select: userFields } },
    });
    const { user, ...session } = viaPrisma;

    const found = await api.database.sessions.findByTokenHash(tokenHash);

    expect(found).toEqual({ session, user });
    expect(found!.session.createdAt.getTime()).toBe(api.clock.now().getTime());
  });

  it('finds nothing for a hash no session has', async () => {
    const { api } = await loggedIn();
    expect(await api.database.sessions.findByTokenHash(hashToken('not-a-session-token-at-all-000000000000000'))).toBeNull();
  });

  it('stops finding a session the moment it is deleted', async () => {
    const { api, tokenHash } = await loggedIn();
    expect(await api.database.sessions.findByTokenHash(tokenHash)).not.toBeNull();
    await api.prisma.session.deleteMany({ where: { tokenHash } });
    expect(await api.database.sessions.findByTokenHash(tokenHash)).toBeNull();
  });
});

describe("SQLite lookup's own connection", () => {
  function scratchFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'auth-api-lookup-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    return join(dir, 'auth.db');
  }

  it('never creates a database file where there is none', async () => {
    const file = scratchFile();
    const lookup = sqliteSessionLookup(file, 1000);
    await expect(lookup.findByTokenHash('a'.repeat(64))).rejects.toThrow();
    expect(existsSync(file)).toBe(false);
  });

  it('fails while the tables are missing, then works once they exist, with no restart', async () => {
    const file = scratchFile();
    const writer = new Database(file);
    onTestFinished(() => {
      writer.close();
    });
    const lookup = sqliteSessionLookup(file, 1000);
    onTestFinished(() => lookup.close());
    await expect(lookup.findByTokenHash('a'.repeat(64))).rejects.toThrow(/no such table/);
    writer.exec(`
      CREATE TABLE "User" ("id" TEXT PRIMARY KEY, "email" TEXT NOT NULL, "createdAt" DATETIME NOT NULL, "credentialVersion" INTEGER NOT NULL, "emailVerified" BOOLEAN NOT NULL DEFAULT false,
        "role" TEXT NOT NULL DEFAULT 'USER', "disabled" BOOLEAN NOT NULL DEFAULT false);
      CREATE TABLE "Session" ("id" TEXT PRIMARY KEY, "tokenHash" TEXT NOT NULL UNIQUE, "userId" TEXT NOT NULL,
        "createdAt" DATETIME NOT NULL, "lastSeenAt" DATETIME NOT NULL, "expiresAt" DATETIME NOT NULL, "userAgent" TEXT,
        "credentialVersion" INTEGER NOT NULL);
      INSERT INTO "User" VALUES ('u1', 'ada@example.com', '2026-11-24 07:00:00', 0, 0, 'USER', 0);
      INSERT INTO "Session" VALUES ('s1', '${'b'.repeat(64)}', 'u1', '2026-11-24 07:00:00', '2026-11-24 07:00:00', '2026-12-24 07:00:00', NULL, 0);
    `);
    expect(await lookup.findByTokenHash('a'.repeat(64))).toBeNull();
    expect((await lookup.findByTokenHash('b'.repeat(64)))?.user.email).toBe('ada@example.com');
  });
});

describe('SQLite DateTime text', () => {
  it("reads Prisma's ISO format and CURRENT_TIMESTAMP's format as UTC", () => {
    process.env.TZ = 'Asia/Tokyo';
    expect(parseSqliteDateTime('2026-11-24T07:33:22.919+00:00').toISOString()).toBe('2026-11-24T07:33:22.919Z');
    expect(parseSqliteDateTime('2026-11-24 07:33:22').toISOString()).toBe('2026-11-24T07:33:22.000Z');
  });

  it('refuses text that is no date rather than answering with an invalid one', () => {
    expect(() => parseSqliteDateTime('yesterday')).toThrow(/unreadable DateTime/);
  });
});
