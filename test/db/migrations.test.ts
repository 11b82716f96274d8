import { describe, expect, it } from 'vitest';
import { migrationLayout } from '../../src/db/migrate/layout.ts';
import { pendingMigrationSql } from '../../scripts/migrations/migration-diff.ts';
import { repoRoot } from '../../scripts/paths.ts';
import { postgresqlTemplate, testProvider } from '../helpers/db.ts';

describe(`the ${testProvider()} migrations`, () => {
  it('hold everything prisma/schema.prisma defines (else: npm run migrate:new -- <name>)', async () => {
    const layout = migrationLayout(testProvider(), repoRoot);
    const postgresqlServerUrl = testProvider() === 'postgresql' ? postgresqlTemplate().serverUrl : undefined;
    expect(await pendingMigrationSql(layout, { postgresqlServerUrl })).toBe('');
  });
});
