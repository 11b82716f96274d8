// Short-lived PostgreSQL databases for tooling and tests: the shadow database a migration diff
// replays the migrations on, and the tests' fresh databases. All share one name prefix, so
// anything left behind by a killed run is easy to find and drop.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const SCRATCH_DATABASE_PREFIX = 'auth_api_t_';
const CONNECT_TIMEOUT_MS = 5000;

/** The same server and credentials, another database. */
function withDatabaseName(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export function scratchDatabaseName(label: string): string {
  return `${SCRATCH_DATABASE_PREFIX}${label}_${randomBytes(6).toString('hex')}`;
}

/** Runs one statement on `serverUrl`'s own database on a connection of its own. */
export async function runOnServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Creates a database (optionally a copy of `template`) and returns its URL. */
export async function createScratchDatabase(serverUrl: string, name: string, template?: string): Promise<string> {
  await runOnServer(serverUrl, `CREATE DATABASE ${quoted(name)}${template === undefined ? '' : ` TEMPLATE ${quoted(template)}`}`);
  return withDatabaseName(serverUrl, name);
}

/** FORCE ends connections still open to it (PostgreSQL 13+), so a leaked pool cannot block cleanup. */
export async function dropScratchDatabase(serverUrl: string, name: string): Promise<void> {
  if (!name.startsWith(SCRATCH_DATABASE_PREFIX)) throw new Error(`refusing to drop ${name}: not a scratch database`);
  await runOnServer(serverUrl, `DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
}

export async function withScratchDatabase<T>(serverUrl: string, label: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = scratchDatabaseName(label);
  const url = await createScratchDatabase(serverUrl, name);
  try {
    return await work(url);
  } finally {
    await dropScratchDatabase(serverUrl, name);
  }
}
