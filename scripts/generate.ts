// npm run generate (also run by npm install): the Prisma clients for both databases and the
// Pothos types. Offline: the prisma CLI is pointed at an existing file as its schema engine,
// so it skips a download that generation does not need (README, "Generated code").
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { derivePostgresqlSchema, POSTGRESQL_SCHEMA_FILE } from '../src/db/migrate/datamodel.ts';
import { repoRoot, schemaPath } from './paths.ts';

const postgresqlSchema = join(repoRoot, POSTGRESQL_SCHEMA_FILE);
mkdirSync(dirname(postgresqlSchema), { recursive: true });
writeFileSync(postgresqlSchema, derivePostgresqlSchema(readFileSync(schemaPath, 'utf8')));

const prisma = join(repoRoot, 'node_modules', '.bin', 'prisma');
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath };
for (const schema of [schemaPath, postgresqlSchema]) {
  execFileSync(prisma, ['generate', '--no-hints', `--schema=${schema}`], { cwd: repoRoot, env, stdio: 'inherit' });
}
