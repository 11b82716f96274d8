// Whether the database already has every migration, read from _prisma_migrations with the
// service's own client. On an up-to-date database (every start but the first after a
// release) the schema engine is then never loaded at all.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseClient } from '../client.ts';
import type { MigrationLayout } from './layout.ts';
import { readMigrationList } from './migrations.ts';

interface AppliedRow {
  migration_name: string;
  checksum: string;
}

/** True when any migration on disk is missing from the database or differs from what ran. */
export async function hasPendingMigrations(prisma: DatabaseClient, layout: MigrationLayout): Promise<boolean> {
  let applied: AppliedRow[];
  try {
    applied = await prisma.$queryRawUnsafe<AppliedRow[]>(
      'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
  } catch {
    return true; // no table yet (a fresh database): the engine creates it
  }
  const checksums = new Map(applied.map((row) => [row.migration_name, row.checksum]));
  return readMigrationList(layout.migrationsDir).migrationDirectories.some((migration) => {
    const sql = readFileSync(join(layout.migrationsDir, migration.path, 'migration.sql'));
    // Prisma records the SHA-256 of each migration.sql it applies.
    return checksums.get(migration.path) !== createHash('sha256').update(sql).digest('hex');
  });
}
