// The hot path's hand-written lookup (src/db/session-lookup.ts) must read the same session and
// user that Prisma reads from the same rows, on both databases: a renamed column, a date read
// in the wrong time zone or a stale read after logout would show here.
import { afterEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/tokens.ts';
import { parseSqliteDateTime } from '../../src/db/session-lookup.ts';
import { createTestApp } from '../helpers/app.ts';
import { Login, Register, ada } from '../helpers/operations.ts';

const originalTimeZone = process.env.TZ;
afterEach(() => {
  if (originalTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = originalTimeZone;
});

async function loggedIn() {
  const api = await createTestApp();
  await api.gql(Register, ada);
  await api.gql(Login, ada);
  const token = api.main.cookie;
  if (token === null) throw new Error('login set no cookie');
  return { api, tokenHash: hashToken(token) };
}

describe('session lookup by token hash', () => {
  it("reads the session and its user exactly as Prisma reads them, in a time zone that is not UTC", async () => {
    // Dates stored as UTC must not be read as local time (pg's default for TIMESTAMP, and
    // `new Date()` on SQLite's CURRENT_TIMESTAMP format).
    process.env.TZ = 'America/New_York';
    const { api, tokenHash } = await loggedIn();
    const viaPrisma = await api.prisma.session.findUniqueOrThrow({
      where: { tokenHash },
      select: {
        id: true,
        userId: true,
        createdAt: true,
        lastSeenAt: true,
        expiresAt: true,
        userAgent: true,
        user: { select: { id: true, email: true, createdAt: true } },
      },
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
