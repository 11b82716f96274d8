// Where the model and each provider's migrations live, in Prisma's own layout: a folder per
// migration holding migration.sql, next to a migration_lock.toml naming the provider.
import { join } from 'node:path';
import type { Provider } from './datamodel.ts';

export interface MigrationLayout {
  provider: Provider;
  /** prisma/schema.prisma, the one definition of the models (the PostgreSQL one is derived). */
  schemaPath: string;
  migrationsDir: string;
}

const MIGRATIONS_DIRS: Record<Provider, string> = {
  sqlite: 'prisma/migrations',
  postgresql: 'prisma/postgresql/migrations',
};

export function migrationLayout(provider: Provider, repoRoot: string): MigrationLayout {
  return { provider, schemaPath: join(repoRoot, 'prisma', 'schema.prisma'), migrationsDir: join(repoRoot, MIGRATIONS_DIRS[provider]) };
}
