// SQLite through better-sqlite3: the service's one connection (the migrations' lock is in
// migrate/sqlite.ts).
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { createOwnerOnlyFile } from './owner-only-files.ts';
import { serialisedSqlite } from './serialised-sqlite-adapter.ts';

/** How long a statement waits for another process's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

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

export function sqliteAdapterFactory(target: { url: string; filePath: string }): SqlMigrationAwareDriverAdapterFactory {
  const driver = new PrismaBetterSqlite3({ url: target.url, timeout: SQLITE_BUSY_TIMEOUT_MS });
  return serialisedSqlite(creatingOwnerOnly(driver, target.filePath), SQLITE_PRAGMAS);
}

/** Every connection, the service's and the migrator's, finds the file owner-only or creates it so. */
function creatingOwnerOnly(inner: SqlMigrationAwareDriverAdapterFactory, filePath: string): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      createOwnerOnlyFile(filePath);
      return inner.connect();
    },
    connectToShadowDb: () => inner.connectToShadowDb(),
  };
}
