// Each test gets a database of its own, of the provider its vitest project runs on: a copy of
// a migrated template, dropped when the test ends.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject, onTestFinished } from 'vitest';
import type { Provider } from '../../src/db/migrate/datamodel.ts';
import { createScratchDatabase, dropScratchDatabase, scratchDatabaseName } from '../../scripts/migrations/scratch-database.ts';
import type { PostgresqlTemplate } from './provided.ts';

export function testProvider(): Provider {
  return inject('databaseProvider');
}

export function postgresqlTemplate(): PostgresqlTemplate {
  const template = inject('postgresqlTemplate');
  if (template === null) throw new Error('PostgreSQL is not available to this run');
  return template;
}

/** A fresh, migrated database for one test, removed when the test ends. */
export async function freshDatabaseUrl(): Promise<string> {
  if (testProvider() === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'auth-api-db-'));
    const file = join(dir, 'auth.db');
    copyFileSync(inject('sqliteTemplate'), file);
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    return `file:${file}`;
  }
  return createTestDatabase(postgresqlTemplate().template);
}

/** PostgreSQL: a database with no tables at all, for tests of migrating one; removed when the test ends. */
export function emptyPostgresqlDatabaseUrl(): Promise<string> {
  return createTestDatabase(undefined);
}

async function createTestDatabase(template: string | undefined): Promise<string> {
  const { serverUrl, runLabel } = postgresqlTemplate();
  const name = scratchDatabaseName(runLabel);
  const url = await createScratchDatabase(serverUrl, name, template);
  // Registered before the test's own clean-ups, so it runs after them (vitest runs them as a stack).
  onTestFinished(() => dropScratchDatabase(serverUrl, name));
  return url;
}

/** A database URL nobody answers at: a port that was free a moment ago, or a directory that does not exist. */
export async function unreachableDatabaseUrl(): Promise<string> {
  if (testProvider() === 'sqlite') return 'file:/nonexistent-dir-for-tests/auth.db';
  return withPort(postgresqlTemplate().serverUrl, await freePort());
}

export function withPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Rows of one query on a PostgreSQL database, on a connection of its own. */
export async function queryPostgresql<Row extends Record<string, unknown>>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}
