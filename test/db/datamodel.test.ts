import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { derivePostgresqlSchema } from '../../src/db/migrate/datamodel.ts';
import { schemaPath } from '../../scripts/paths.ts';

const schema = readFileSync(schemaPath, 'utf8');
const modelsOf = (text: string) => text.slice(text.indexOf('\nmodel '));

describe('the PostgreSQL datamodel derived from prisma/schema.prisma', () => {
  it('has the same models, a postgresql datasource and a client of its own', () => {
    const derived = derivePostgresqlSchema(schema);
    expect(modelsOf(derived)).toBe(modelsOf(schema));
    expect(derived).toMatch(/datasource db \{\s*provider = "postgresql"\s*\}/);
    expect(derived).toMatch(/output\s*= "\.\/prisma-postgresql"/);
    expect(derived).not.toContain('prisma-pothos-types');
  });

  it('refuses, with a reason, a schema it cannot derive from rather than guess', () => {
    expect(() => derivePostgresqlSchema(schema.replace('String               @unique', 'String @unique @db.Text'))).toThrow(
      /provider-neutral.*@db\./,
    );
    expect(() => derivePostgresqlSchema(schema.replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(/provider = "sqlite"/);
    expect(() => derivePostgresqlSchema(schema.replace('provider     = "prisma-client"', 'provider = "prisma-client-js"'))).toThrow(
      /generator with provider = "prisma-client"/,
    );
  });
});
