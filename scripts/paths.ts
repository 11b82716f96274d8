import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationLayout } from '../src/db/migrate/layout.ts';

/** Where the data model and its migrations live, from the repository root. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const schemaPath = migrationLayout('sqlite', repoRoot).schemaPath;

/**
 * How npm start runs the built service (`npm run serve`: node options and all), for the
 * benchmark and the tests that start it as a process. It execs node, so run through sh the
 * child's pid is the service's own.
 */
export const serveCommand = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { serve: string } }).scripts
  .serve;

/**
 * A PostgreSQL server where tooling and tests may create and drop scratch databases
 * (auth_api_t_…): the migration diff's shadow database, the tests' fresh databases.
 */
export function postgresqlServerUrl(env: Record<string, string | undefined> = process.env): string {
  return env.TEST_POSTGRESQL_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
}
