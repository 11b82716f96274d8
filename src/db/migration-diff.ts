// What the checked-in migrations lack compared with the data model, as SQL. Used to write a
// new migration (scripts/new-migration.ts) and to prove none is missing (test/db).
import { readFileSync } from 'node:fs';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import type { MigrationPaths } from './migrate.ts';
import { noFilters, readMigrationList } from './migrations.ts';
import { withSchemaEngine } from './schema-engine.ts';

/** The SQL that takes the migrations' end state to the data model; '' when they agree. */
export async function pendingMigrationSql(paths: MigrationPaths): Promise<string> {
  const datamodel = { path: paths.schemaPath, content: readFileSync(paths.schemaPath, 'utf8') };
  // The migrations are replayed on an in-memory shadow database.
  const adapter = shadowAdapterFactory(new PrismaBetterSqlite3({ url: ':memory:' }));
  const result = await withSchemaEngine(adapter, datamodel, (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...readMigrationList(paths.migrationsDir) },
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
function shadowAdapterFactory(inner: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
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
