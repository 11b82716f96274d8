// Read by the prisma CLI (generate). scripts/generate.ts passes each provider's schema with
// --schema: this one, and the PostgreSQL one derived from it. Migrations are applied by
// src/db/migrate/ at start-up, so the CLI never needs a database URL here.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
