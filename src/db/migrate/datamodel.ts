// One definition of the models serves both databases. prisma/schema.prisma is written for
// SQLite; the PostgreSQL datamodel is derived from it here, in memory for the schema engine
// (migrations) and as a file for `prisma generate` (scripts/generate.ts), never by hand, so
// the two cannot drift apart.
import { readFileSync } from 'node:fs';

export type Provider = 'sqlite' | 'postgresql';

/** Where the derived schema file lives, relative to the repository root (see scripts/generate.ts). */
export const POSTGRESQL_SCHEMA_FILE = 'src/generated/postgresql.prisma';
/** The PostgreSQL client's output, relative to POSTGRESQL_SCHEMA_FILE. */
const POSTGRESQL_CLIENT_OUTPUT = './prisma-postgresql';

const HEADER = '// Derived from prisma/schema.prisma by src/db/migrate/datamodel.ts (npm run generate). Do not edit.\n\n';

/** A top-level block such as `generator client { … }` or `datasource db { … }`. */
const blockPattern = (keyword: string) => new RegExp(`^${keyword}\\s+(\\w+)\\s*\\{[^}]*\\}\\s*\\n?`, 'gm');

/**
 * The PostgreSQL twin of the SQLite schema: the datasource's provider swapped, the client
 * generated to its own folder (Prisma 7's client is compiled for one provider), and the Pothos
 * generator dropped (its types describe the models, which the SQLite client already covers).
 * Throws when the schema is not in the shape this derivation knows, rather than guess.
 */
export function derivePostgresqlSchema(sqliteSchema: string): string {
  if (/@db\./.test(sqliteSchema)) {
    throw new Error('prisma/schema.prisma must stay provider-neutral: native types (@db.…) differ between SQLite and PostgreSQL');
  }
  const datasources = [...sqliteSchema.matchAll(blockPattern('datasource'))];
  if (datasources.length !== 1 || !/provider\s*=\s*"sqlite"/.test(datasources[0]![0])) {
    throw new Error('prisma/schema.prisma must have exactly one datasource, with provider = "sqlite"');
  }
  let clients = 0;
  const derived = sqliteSchema
    .replace(blockPattern('datasource'), (block) => block.replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"'))
    .replace(blockPattern('generator'), (block) => {
      if (/provider\s*=\s*"prisma-client"/.test(block)) {
        clients += 1;
        return block.replace(/output\s*=\s*"[^"]*"/, `output       = "${POSTGRESQL_CLIENT_OUTPUT}"`);
      }
      return '';
    });
  if (clients !== 1) throw new Error('prisma/schema.prisma must have exactly one generator with provider = "prisma-client"');
  return HEADER + derived;
}

/** The datamodel the schema engine gets for this provider: path (for its messages) and text. */
export function readDatamodel(provider: Provider, schemaPath: string): { path: string; content: string } {
  const content = readFileSync(schemaPath, 'utf8');
  return { path: schemaPath, content: provider === 'sqlite' ? content : derivePostgresqlSchema(content) };
}
