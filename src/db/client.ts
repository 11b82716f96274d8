// Opening the database: the Prisma client on a driver adapter, and the session lookup beside it.
// The choice of database is made here and nowhere else.
import { PrismaClient as PostgresqlPrismaClient } from '../generated/prisma-postgresql/client.ts';
import { PrismaClient as SqlitePrismaClient } from '../generated/prisma/client.ts';
import type { Config } from '../config.ts';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';
import { createServicePool, postgresqlAdapterFactory, type PoolSettings } from './postgresql.ts';
import { postgresqlSessionLookup, sqliteSessionLookup, type SessionLookup } from './session-lookup.ts';
import { SQLITE_BUSY_TIMEOUT_MS, sqliteAdapterFactory } from './sqlite.ts';
import { postgresqlSweepExecutor, sqliteSweepExecutor } from './sweep-executor.ts';
import type { SweepExecutor } from '../housekeeping/sweeps.ts';

/**
 * The one client type the rest of the code sees. Prisma 7 compiles a client per provider, and
 * both are generated from the one prisma/schema.prisma, so their model API is the same; the
 * SQLite client's types are the narrower of the two (PostgreSQL only adds options), so code
 * written against them runs on either. TypeScript cannot prove the generated generics equal,
 * hence the one cast below.
 */
export type DatabaseClient = SqlitePrismaClient;

/** The settings a database is opened with; the rest of Config does not matter here. */
export type DatabaseConfig = Pick<
  Config,
  'databaseUrl' | 'databasePoolSize' | 'databaseConnectTimeoutSeconds' | 'databaseStatementTimeoutSeconds'
>;

/** What the service talks to: Prisma for everything, and the hot path's one prepared lookup. */
export interface Database {
  /** Which database this is (a SQLite file, or a PostgreSQL URL), for migrating it. */
  target: DatabaseTarget;
  prisma: DatabaseClient;
  sessions: SessionLookup;
  /** Where housekeeping's batches run (sweep-executor.ts says why SQLite's is a connection apart). */
  sweeps: SweepExecutor;
  /** Ends every connection (Prisma's, and the lookup's where it has its own). */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /**
   * Called with every statement Prisma sends (its `query` log events). Tests count them per
   * operation (test/api/query-count.test.ts); unset, Prisma does not log queries at all.
   */
  onQuery?: (event: { query: string }) => void;
}

/** Prisma emits `query` events only when asked for them when the client is made. */
function queryLogOf(options: DatabaseOptions) {
  return options.onQuery === undefined ? {} : { log: [{ emit: 'event' as const, level: 'query' as const }] };
}

function watchQueries(prisma: DatabaseClient, options: DatabaseOptions): void {
  if (options.onQuery === undefined) return;
  (prisma as unknown as { $on(event: 'query', listener: (event: { query: string }) => void): void }).$on('query', options.onQuery);
}

/**
 * The one way in, for the service, the tests and the benchmark alike, so they all run on the
 * same adapter, pool and pragmas. Connects lazily: opening never fails because the database is
 * away (GET /ready reports that). A relative `file:` URL is relative to the working directory.
 */
export function openDatabase(config: DatabaseConfig, options: DatabaseOptions = {}): Database {
  const target = parseDatabaseUrl(config.databaseUrl);
  if (target.provider === 'sqlite') {
    const prisma = new SqlitePrismaClient({ adapter: sqliteAdapterFactory(target), ...queryLogOf(options) });
    watchQueries(prisma, options);
    const sessions = sqliteSessionLookup(target.filePath, SQLITE_BUSY_TIMEOUT_MS);
    const sweeps = sqliteSweepExecutor(target.filePath);
    return {
      target,
      prisma,
      sessions,
      sweeps,
      async close() {
        await prisma.$disconnect();
        await sessions.close();
        await sweeps.close();
      },
    };
  }
  // One pool, shared by Prisma and the lookup, and ended here, where it was made.
  const servicePool = createServicePool(target.url, poolSettingsOf(config));
  const prisma = new PostgresqlPrismaClient({
    adapter: postgresqlAdapterFactory(servicePool),
    ...queryLogOf(options),
  }) as unknown as DatabaseClient;
  watchQueries(prisma, options);
  return {
    target,
    prisma,
    sessions: postgresqlSessionLookup(servicePool),
    sweeps: postgresqlSweepExecutor(prisma),
    async close() {
      await prisma.$disconnect();
      await servicePool.end();
    },
  };
}

function poolSettingsOf(config: DatabaseConfig): PoolSettings {
  return {
    maxConnections: config.databasePoolSize,
    connectTimeoutMs: config.databaseConnectTimeoutSeconds * 1000,
    statementTimeoutMs: config.databaseStatementTimeoutSeconds * 1000,
  };
}

/** True while the database answers a trivial query (GET /ready). */
export async function isDatabaseReachable(prisma: DatabaseClient): Promise<boolean> {
  try {
    await prisma.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
