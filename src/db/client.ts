// The Prisma client on a driver adapter. The service only ever talks to Prisma, so the choice
// of database is made here and nowhere else.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { DatabaseTarget } from './database-url.ts';
import { serialisedSqlite } from './serialised-sqlite-adapter.ts';

/** How long a statement waits for another process's write lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * WAL lets reads proceed during a write; synchronous=FULL fsyncs each commit, so a mutation
 * reported as written survives a crash of the process or of the machine; foreign keys on so
 * that deleting a user cascades to its sessions and tokens.
 */
const SQLITE_PRAGMAS = `
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = FULL;
  PRAGMA foreign_keys = ON;
  PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS};
`;

export function createAdapterFactory(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider !== 'sqlite') {
    throw new Error('PostgreSQL is not supported by this build yet; use a file: DATABASE_URL');
  }
  return serialisedSqlite(new PrismaBetterSqlite3({ url: target.url, timeout: SQLITE_BUSY_TIMEOUT_MS }), SQLITE_PRAGMAS);
}

export function createPrismaClient(target: DatabaseTarget): PrismaClient {
  return new PrismaClient({ adapter: createAdapterFactory(target) });
}

/** True while the database answers a trivial query (GET /ready). */
export async function isDatabaseReachable(prisma: PrismaClient): Promise<boolean> {
  try {
    await prisma.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
