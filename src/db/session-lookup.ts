// The one query on every authenticated request (`me`, and every resolver that asks who is
// calling): a session by its token hash, joined to its user, as one prepared statement on the
// database driver itself.
//
// Why not Prisma here, when every other query goes through it: through Prisma 7 this lookup
// is compiled by the query compiler (wasm), interpreted, and prepared again by the driver
// adapter on each call, which measured about 0.6 ms of CPU per request, over half of what
// the service spent on a `me` (measured side by side: 1.1k → 2.4k authenticated `me` per second). A
// statement prepared once answers in microseconds. Writes and every other read stay in
// Prisma; test/db/session-lookup.test.ts checks this query against Prisma's own reading of the
// same rows on both databases, so a renamed column fails there rather than in production.
import Database from 'better-sqlite3';
import type pg from 'pg';
import type { SessionRecord, UserRecord } from '../auth/records.ts';

export interface SessionWithUser {
  session: SessionRecord;
  user: UserRecord;
}

export interface SessionLookup {
  findByTokenHash(tokenHash: string): Promise<SessionWithUser | null>;
}

/** Column names as Prisma's migrations create them (the model's field names). */
interface Row {
  id: string;
  userId: string;
  createdAt: string | Date;
  lastSeenAt: string | Date;
  expiresAt: string | Date;
  userAgent: string | null;
  email: string;
  userCreatedAt: string | Date;
  /** SQLite keeps booleans as 0 / 1; PostgreSQL's are parsed by utcTimestamps below. */
  emailVerified: boolean | number;
  role: string;
  disabled: boolean | number;
}

function recordsOf(row: Row, toDate: (value: string | Date) => Date): SessionWithUser {
  return {
    session: {
      id: row.id,
      userId: row.userId,
      createdAt: toDate(row.createdAt),
      lastSeenAt: toDate(row.lastSeenAt),
      expiresAt: toDate(row.expiresAt),
      userAgent: row.userAgent,
    },
    user: {
      id: row.userId,
      email: row.email,
      createdAt: toDate(row.userCreatedAt),
      emailVerified: row.emailVerified === true || row.emailVerified === 1,
      role: row.role === 'ADMIN' ? 'ADMIN' : 'USER',
      disabled: row.disabled === true || row.disabled === 1,
    },
  };
}

/** A session started under credentials that have changed since is as good as none. */
const SELECT_SESSION_WITH_USER = `
  SELECT s."id", s."userId", s."createdAt", s."lastSeenAt", s."expiresAt", s."userAgent",
         u."email", u."createdAt" AS "userCreatedAt", u."emailVerified",
         u."role", u."disabled"
  FROM "Session" s JOIN "User" u ON u."id" = s."userId"
  WHERE s."credentialVersion" = u."credentialVersion" AND s."tokenHash" = `;

/**
 * Prisma stores SQLite DateTimes as ISO-8601 text with an offset ("…T07:33:22.919+00:00"); a
 * column default of CURRENT_TIMESTAMP writes "2026-11-24 07:33:22", which is UTC too but which
 * `new Date()` would read as local time.
 */
export function parseSqliteDateTime(value: string | Date): Date {
  if (value instanceof Date) return value;
  const date = new Date(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value);
  if (Number.isNaN(date.getTime())) throw new Error('unreadable DateTime in the Session or User table');
  return date;
}

/**
 * A second connection to the file, read-only (query_only), opened on first use: reads in WAL
 * mode never wait for the service's writes, and see each write once it commits.
 */
export function sqliteSessionLookup(filePath: string, busyTimeoutMs: number): SessionLookup & { close(): Promise<void> } {
  let statement: Database.Statement<[string], Row> | null = null;
  let connection: Database.Database | null = null;
  const prepared = () => {
    if (statement !== null) return statement;
    // fileMustExist: a lookup must never create an empty database where the service's is missing.
    const opened = new Database(filePath, { fileMustExist: true, timeout: busyTimeoutMs });
    try {
      opened.pragma('query_only = ON');
      statement = opened.prepare<[string], Row>(`${SELECT_SESSION_WITH_USER}?`);
    } catch (error) {
      opened.close(); // tables missing, say: the next request tries again, with no leaked handle
      throw error;
    }
    connection = opened;
    return statement;
  };
  return {
    async findByTokenHash(tokenHash) {
      const row = prepared().get(tokenHash);
      return row === undefined ? null : recordsOf(row, parseSqliteDateTime);
    },
    async close() {
      connection?.close();
      connection = null;
      statement = null;
    },
  };
}

const TIMESTAMP_OID = 1114;
const BOOLEAN_OID = 16;

/**
 * Prisma's DateTime is TIMESTAMP(3) without time zone, holding UTC; pg would read it as local
 * time. Types not named here come as the server's text, so booleans are read here too ('t'/'f').
 */
const utcTimestamps = {
  getTypeParser: (oid: number) => {
    if (oid === TIMESTAMP_OID) return (value: string) => new Date(`${value.replace(' ', 'T')}Z`);
    if (oid === BOOLEAN_OID) return (value: string) => value === 't';
    return (value: string) => value;
  },
};

/**
 * On the service's pool (shared with Prisma's adapter, so DATABASE_POOL_SIZE still bounds the
 * connections; openDatabase's close() ends it). A named statement: each connection parses and plans it once.
 */
export function postgresqlSessionLookup(pool: pg.Pool): SessionLookup {
  return {
    async findByTokenHash(tokenHash) {
      const result = await pool.query<Row>({
        name: 'auth-api-session-by-token-hash',
        text: `${SELECT_SESSION_WITH_USER}$1`,
        values: [tokenHash],
        types: utcTimestamps as pg.CustomTypesConfig,
      });
      const row = result.rows[0];
      return row === undefined ? null : recordsOf(row, (value) => value as Date);
    },
  };
}
