import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// The suite runs once per database. Tests that touch the database take theirs from
// test/helpers/db.ts, which reads the project's provider; tests of SQLite's own start-up and of
// parts without a database run in the sqlite project only, and test/postgresql/ (several
// processes, a server that goes away) in the postgresql project only.
export default defineConfig({
  resolve: {
    // graphql 16 has no "exports" map: Node loads index.js for graphql-yoga and Pothos, while
    // Vite would give our own files index.mjs. Two copies break `instanceof GraphQLError`
    // and schema identity, so both sides get the one Node loads, as they do under `npm start`.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Dropping the run's PostgreSQL databases can take a while on a busy shared server.
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/postgresql/**'],
          globalSetup: ['test/helpers/global-setup-sqlite.ts'],
          provide: { databaseProvider: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgresql',
          include: [
            'test/api/**/*.test.ts',
            'test/auth/rate-limit-store.test.ts',
            'test/security/rate-limits.test.ts',
            'test/security/credential-races.test.ts',
            'test/security/device-cookies.test.ts',
            'test/security/per-user-invariants.test.ts',
            'test/security/mfa-at-rest.test.ts',
            'test/db/migrations.test.ts',
            'test/db/session-lookup.test.ts',
            'test/scripts/user-role.test.ts',
            'test/housekeeping/housekeeping.test.ts',
            'test/postgresql/**/*.test.ts',
          ],
          globalSetup: ['test/helpers/global-setup-postgresql.ts'],
          setupFiles: ['test/helpers/skip-without-postgresql.ts'],
          provide: { databaseProvider: 'postgresql' },
        },
      },
    ],
  },
});
