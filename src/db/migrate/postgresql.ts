// PostgreSQL: the connections the schema engine migrates (and diffs) with, and the lock that
// lets one process migrate a database at a time.
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { APPLICATION_NAME } from '../postgresql.ts';

/**
 * For Prisma's schema engine (migrate, diff). Migrations may run longer than any request: no
 * statement timeout, a small pool. And the engine reads pg_catalog columns of PostgreSQL's
 * one-byte "char" type (pg_constraint.contype), which @prisma/adapter-pg 7.10 rejects as an
 * unsupported column type; its values arrive as text anyway, so they are announced as text.
 */
export function schemaEngineAdapterFactory(url: string, connectTimeoutMs: number): SqlMigrationAwareDriverAdapterFactory {
  return new PrismaPg(
    new pg.Pool({
      connectionString: url,
      max: 2,
      connectionTimeoutMillis: connectTimeoutMs,
      application_name: `${APPLICATION_NAME} migrate`,
      Client: CharAsTextClient,
    }),
    { disposeExternalPool: true },
  );
}

const CHAR_OID = 18;
const TEXT_OID = 25;

function announceCharAsText<R>(result: R): R {
  for (const each of Array.isArray(result) ? result : [result]) {
    for (const field of (each as Partial<pg.QueryResult> | undefined)?.fields ?? []) {
      if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

class CharAsTextClient extends pg.Client {
  // pg's query() has many overloads (callback or promise); this forwards any of them unchanged,
  // and only `any` matches them all.
  // biome-ignore lint/suspicious/noExplicitAny: the override must accept and return every overload of pg's query()
  override query(...args: any[]): any {
    const callbackAt = args.findIndex((arg) => typeof arg === 'function');
    if (callbackAt !== -1) {
      const callback = args[callbackAt] as (error: Error | null, result: unknown) => void;
      args[callbackAt] = (error: Error | null, result: unknown) => callback(error, error ? result : announceCharAsText(result));
      return super.query(...(args as Parameters<pg.Client['query']>));
    }
    const returned: unknown = super.query(...(args as Parameters<pg.Client['query']>));
    return returned instanceof Promise ? returned.then(announceCharAsText) : returned;
  }
}

/**
 * The advisory lock key of our migrations: any constant but Prisma's own 72707369, which the
 * engine takes on its connection, giving up after 10 s (too short to wait out another
 * instance's long migration); holding ours first, the engine's never has to wait.
 */
export const MIGRATION_LOCK_KEY = 4_172_730_501;
const LOCK_WAIT_MS = 120_000;

/**
 * Processes starting together on one database take turns: each holds a session-level advisory
 * lock on a connection of its own while the engine migrates. PostgreSQL releases the lock when
 * that session ends, so a holder that crashes or loses the network leaves no stale lock.
 */
export async function withMigrationLock<T>(
  url: string,
  connectTimeoutMs: number,
  work: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: `${APPLICATION_NAME} migrate-lock`,
  });
  // A lost connection also fails the query in progress; without a listener it would crash the process.
  client.on('error', () => {});
  // Shutting down while waiting for the lock: give up the wait rather than hold the process open.
  const abandon = () => void client.end().catch(() => {});
  signal?.addEventListener('abort', abandon, { once: true });
  try {
    await client.connect();
    await client.query(`SET lock_timeout = ${LOCK_WAIT_MS}`);
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await work();
  } finally {
    signal?.removeEventListener('abort', abandon);
    // Ending the session releases the lock, also when an unlock could no longer be sent.
    await client.end().catch(() => {});
  }
}
