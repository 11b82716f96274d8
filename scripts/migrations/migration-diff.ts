// What the checked-in migrations lack compared with the data model, as SQL. Used to write a
// new migration (new-migration.ts) and to prove none is missing (test/db).
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import { readDatamodel } from '../../src/db/migrate/datamodel.ts';
import type { MigrationLayout } from '../../src/db/migrate/layout.ts';
import { noFilters, readMigrationList } from '../../src/db/migrate/migrations.ts';
import { schemaEngineAdapterFactory } from '../../src/db/migrate/postgresql.ts';
import { withSchemaEngine } from '../../src/db/migrate/schema-engine.ts';
import { withScratchDatabase } from './scratch-database.ts';

const CONNECT_TIMEOUT_MS = 5000;

export interface DiffOptions {
  /** PostgreSQL only: a server on which a scratch shadow database may be created and dropped. */
  postgresqlServerUrl?: string;
}

/** The SQL that takes the migrations' end state to the data model; '' when they agree. */
export async function pendingMigrationSql(layout: MigrationLayout, options: DiffOptions = {}): Promise<string> {
  if (layout.provider === 'sqlite') {
    // The migrations are replayed on an in-memory shadow database.
    return diffOnShadow(layout, sqliteScriptShadow(new PrismaBetterSqlite3({ url: ':memory:' })));
  }
  const serverUrl = options.postgresqlServerUrl;
  if (serverUrl === undefined) throw new Error('checking PostgreSQL migrations needs a PostgreSQL server for the shadow database');
  // PrismaPg's own shadow database is named outside our scratch prefix and is dropped while its
  // pool may still hold connections; ours is created here and dropped once the engine is done.
  return withScratchDatabase(serverUrl, 'shadow', (shadowUrl) =>
    diffOnShadow(layout, {
      provider: 'postgres',
      adapterName: '@prisma/adapter-pg',
      connect: () => schemaEngineAdapterFactory(serverUrl, CONNECT_TIMEOUT_MS).connect(),
      connectToShadowDb: () => schemaEngineAdapterFactory(shadowUrl, CONNECT_TIMEOUT_MS).connect(),
    }),
  );
}

async function diffOnShadow(layout: MigrationLayout, adapter: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const datamodel = readDatamodel(layout.provider, layout.schemaPath);
  const result = await withSchemaEngine(adapter, datamodel, (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...readMigrationList(layout.migrationsDir) },
      to: { tag: 'schemaDatamodel', files: [datamodel] },
      script: true,
      exitCode: null,
      filters: noFilters,
    }),
  );
  const sql = result.stdout ?? '';
  return /^\s*(--[^\n]*\n?\s*)*$/.test(sql) ? '' : sql;
}

/**
 * The engine replays each migration on the shadow database as one executeRaw call, which
 * better-sqlite3 refuses for more than one statement; run such parameterless SQL as a script.
 */
function sqliteScriptShadow(inner: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const asScript = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(adapter, {
      get(target, property) {
        if (property === 'executeRaw') {
          return async (query: SqlQuery) => {
            if (query.args.length > 0) return target.executeRaw(query);
            await target.executeScript(query.sql);
            return 0;
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => inner.connect(),
    connectToShadowDb: async () => asScript(await inner.connectToShadowDb()),
  };
}
