// Applies pending migrations at start-up, offline, with Prisma's schema engine (WebAssembly),
// recording them in _prisma_migrations exactly as `prisma migrate deploy` would.
import { mkdirSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createAdapterFactory } from './client.ts';
import { type DatabaseTarget, sqliteDirectory } from './database-url.ts';
import { noFilters, readMigrationList } from './migrations.ts';
import { withSchemaEngine, type EngineLog } from './schema-engine.ts';

export interface MigrationPaths {
  schemaPath: string;
  migrationsDir: string;
}

/** Returns the names of the migrations it applied; none on an up-to-date database. */
export async function migrateDatabase(target: DatabaseTarget, paths: MigrationPaths, log: EngineLog = () => {}): Promise<string[]> {
  return withMigrationLock(target, async () => {
    const datamodel = { path: paths.schemaPath, content: readFileSync(paths.schemaPath, 'utf8') };
    const { appliedMigrationNames } = await withSchemaEngine(
      createAdapterFactory(target),
      datamodel,
      (engine) => engine.applyMigrations({ migrationsList: readMigrationList(paths.migrationsDir), filters: noFilters }),
      log,
    );
    return appliedMigrationNames;
  });
}

const LOCK_WAIT_MS = 120_000;

/**
 * Processes starting together on a fresh database must not both apply the same migration. For
 * SQLite the lock is an exclusive transaction on a sidecar file: the operating system releases
 * it if the holder dies, so a crash mid-migration cannot leave a stale lock behind.
 */
async function withMigrationLock<T>(target: DatabaseTarget, work: () => Promise<T>): Promise<T> {
  if (target.provider !== 'sqlite') return work();
  mkdirSync(sqliteDirectory(target), { recursive: true });
  const lock = new Database(`${target.filePath}.migrate-lock`, { timeout: LOCK_WAIT_MS });
  try {
    lock.exec('BEGIN EXCLUSIVE');
    try {
      return await work();
    } finally {
      lock.exec('ROLLBACK');
    }
  } finally {
    lock.close();
  }
}
