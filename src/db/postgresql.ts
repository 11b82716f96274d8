// PostgreSQL through node-postgres: the service's connection pool (the schema engine's
// connections and the migrations' lock are in migrate/postgresql.ts).
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

export interface PoolSettings {
  /** Connections this process opens at most. */
  maxConnections: number;
  /** How long a query waits for a connection (opening one, or a free one from a full pool). */
  connectTimeoutMs: number;
  /** The server cancels a statement running longer than this. */
  statementTimeoutMs: number;
}

/**
 * A statement gets this much longer on the client side than on the server: statement_timeout
 * ends slow statements, this ends waits on a server that no longer answers at all (a network
 * partition sends no reset), so a request fails instead of hanging.
 */
const CLIENT_TIMEOUT_GRACE_MS = 2000;
/** Idle connections are closed after this, so a quiet instance gives its share back. */
const IDLE_TIMEOUT_MS = 30_000;
/** How the service's connections show in pg_stat_activity. */
export const APPLICATION_NAME = 'auth-api';

/** Settings that fail fast: connection refused, timed out or lost ends the request with an error. */
function servicePoolConfig(url: string, pool: PoolSettings): pg.PoolConfig {
  return {
    connectionString: url,
    max: pool.maxConnections,
    connectionTimeoutMillis: pool.connectTimeoutMs,
    statement_timeout: pool.statementTimeoutMs,
    query_timeout: pool.statementTimeoutMs + CLIENT_TIMEOUT_GRACE_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    keepAlive: true,
    application_name: APPLICATION_NAME,
  };
}

/**
 * The service's one pool, shared by Prisma's adapter and the session lookup. Errors of idle
 * connections (the server restarting) are expected: the pool drops the connection and opens
 * another on demand; without a listener they would crash the process.
 */
export function createServicePool(url: string, pool: PoolSettings): pg.Pool {
  const servicePool = new pg.Pool(servicePoolConfig(url, pool));
  servicePool.on('error', () => {});
  return servicePool;
}

/**
 * Prisma on the service's pool. prisma.$disconnect() leaves the pool open (migrations
 * disconnect Prisma while the lookup may still be in use); the Database's close() ends it.
 */
export function postgresqlAdapterFactory(servicePool: pg.Pool): SqlMigrationAwareDriverAdapterFactory {
  return new PrismaPg(servicePool);
}
