import { describe, expect, it } from 'vitest';
import { pendingMigrationSql } from '../../src/db/migration-diff.ts';
import { migrationPaths } from '../../scripts/paths.ts';

describe('prisma/migrations', () => {
  it('hold everything prisma/schema.prisma defines (else: npm run migrate:new -- <name>)', async () => {
    expect(await pendingMigrationSql(migrationPaths)).toBe('');
  });
});
