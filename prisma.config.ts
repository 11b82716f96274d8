// Read by the prisma CLI (generate). Migrations are applied by src/db/migrate.ts at start-up,
// so the CLI never needs a database URL here.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
