import { fileURLToPath } from 'node:url';

/** Where the data model and its migrations live, from the repository root. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const migrationPaths = {
  schemaPath: fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
};
