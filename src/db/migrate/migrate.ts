// Applies pending migrations, offline, with Prisma's schema engine (WebAssembly), recording
// them in _prisma_migrations exactly as `prisma migrate deploy` would.
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { readDatamodel } from './datamodel.ts';
import type { DatabaseTarget } from '../database-url.ts';
import type { MigrationLayout } from './layout.ts';
import { noFilters, readMigrationList } from './migrations.ts';
import * as postgresql from './postgresql.ts';
import { withSchemaEngine, type EngineLog } from './schema-engine.ts';
import { sqliteAdapterFactory } from '../sqlite.ts';
import * as sqlite from './sqlite.ts';

export interface MigrateOptions {
  /** PostgreSQL: how long to wait for a connection before the attempt fails. */
  connectTimeoutMs: number;
  log?: EngineLog;
  /** Aborting gives up waiting for another process's migration lock (shutdown). */
  signal?: AbortSignal;
}

/**
 * Returns the names of the migrations it applied; none on an up-to-date database. Each
 * provider serialises processes that migrate one database at the same moment.
 */
export async function migrateDatabase(target: DatabaseTarget, layout: MigrationLayout, options: MigrateOptions): Promise<string[]> {
  if (layout.provider !== target.provider) throw new Error(`${layout.provider} migrations cannot migrate a ${target.provider} database`);
  const apply = async (adapterFactory: SqlMigrationAwareDriverAdapterFactory) => {
    const { appliedMigrationNames } = await withSchemaEngine(
      adapterFactory,
      readDatamodel(layout.provider, layout.schemaPath),
      (engine) => engine.applyMigrations({ migrationsList: readMigrationList(layout.migrationsDir), filters: noFilters }),
      options.log,
    );
    return appliedMigrationNames;
  };
  if (target.provider === 'sqlite') return sqlite.withMigrationLock(target, () => apply(sqliteAdapterFactory(target)));
  return postgresql.withMigrationLock(
    target.url,
    options.connectTimeoutMs,
    () => apply(postgresql.schemaEngineAdapterFactory(target.url, options.connectTimeoutMs)),
    options.signal,
  );
}
