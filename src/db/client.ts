// The Prisma client on a driver adapter. The service only ever talks to Prisma, so the choice
// of database is made here and nowhere else.
import { PrismaClient as PostgresqlPrismaClient } from '../generated/prisma-postgresql/client.ts';
import { PrismaClient as SqlitePrismaClient } from '../generated/prisma/client.ts';
import type { Config } from '../config.ts';
import type { DatabaseTarget } from './database-url.ts';
import { postgresqlAdapterFactory, type PoolSettings } from './postgresql.ts';
import { sqliteAdapterFactory } from './sqlite.ts';

/**
 * The one client type the rest of the code sees. Prisma 7 compiles a client per provider, and
 * both are generated from the one prisma/schema.prisma, so their model API is the same; the
 * SQLite client's types are the narrower of the two (PostgreSQL only adds options), so code
 * written against them runs on either. TypeScript cannot prove the generated generics equal,
 * hence the one cast below.
 */
export type DatabaseClient = SqlitePrismaClient;

export type { PoolSettings };

export function poolSettingsOf(config: Config): PoolSettings {
  return {
    maxConnections: config.databasePoolSize,
    connectTimeoutMs: config.databaseConnectTimeoutSeconds * 1000,
    statementTimeoutMs: config.databaseStatementTimeoutSeconds * 1000,
  };
}

/** Connects lazily: creating the client never fails because the database is away. */
export function createPrismaClient(target: DatabaseTarget, pool: PoolSettings): DatabaseClient {
  if (target.provider === 'sqlite') return new SqlitePrismaClient({ adapter: sqliteAdapterFactory(target) });
  const client = new PostgresqlPrismaClient({ adapter: postgresqlAdapterFactory(target.url, pool) });
  return client as unknown as DatabaseClient;
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
