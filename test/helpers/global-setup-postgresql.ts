// For the postgresql project: finds the server, and migrates one template database that each
// test copies (CREATE DATABASE … TEMPLATE, fast) instead of running the schema engine again.
// Without a server the project's tests are skipped, and say why; REQUIRE_POSTGRESQL=1 (CI)
// turns that into a failure, so a broken CI machine cannot pass by skipping them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { parseDatabaseUrl } from '../../src/db/database-url.ts';
import { migrationLayout } from '../../src/db/migrate/layout.ts';
import { migrateDatabase } from '../../src/db/migrate/migrate.ts';
import {
  createScratchDatabase,
  dropScratchDatabase,
  scratchDatabaseName,
  SCRATCH_DATABASE_PREFIX,
} from '../../scripts/migrations/scratch-database.ts';
import { postgresqlServerUrl, repoRoot } from '../../scripts/paths.ts';
import './provided.ts';

const PROBE_TIMEOUT_MS = 3000;

/** null when the server answers; otherwise what went wrong. */
async function probe(serverUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function listDatabases(serverUrl: string, prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = postgresqlServerUrl();
  const problem = await probe(serverUrl);
  if (problem !== null) {
    const reason = `no PostgreSQL server answers at ${new URL(serverUrl).host} (${problem})`;
    if (process.env.REQUIRE_POSTGRESQL === '1') {
      throw new Error(`REQUIRE_POSTGRESQL=1, but ${reason}. Start PostgreSQL or point TEST_POSTGRESQL_URL at one.`);
    }
    console.warn(
      `\n  SKIPPING the postgresql tests: ${reason}.\n  Point TEST_POSTGRESQL_URL at a server to run them; REQUIRE_POSTGRESQL=1 makes this an error.\n`,
    );
    project.provide('postgresqlSkipReason', reason);
    project.provide('postgresqlTemplate', null);
    return;
  }

  const runLabel = `r${randomBytes(3).toString('hex')}`;
  const template = scratchDatabaseName(`${runLabel}_template`);
  const templateUrl = await createScratchDatabase(serverUrl, template);
  await migrateDatabase(parseDatabaseUrl(templateUrl), migrationLayout('postgresql', repoRoot), { connectTimeoutMs: 5000 });
  project.provide('postgresqlSkipReason', null);
  project.provide('postgresqlTemplate', { serverUrl, template, runLabel });

  return async () => {
    // Every database of this run, including any a killed test did not drop.
    for (const name of await listDatabases(serverUrl, `${SCRATCH_DATABASE_PREFIX}${runLabel}_`)) await dropScratchDatabase(serverUrl, name);
  };
}
