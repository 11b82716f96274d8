// What the global set-ups hand to the tests (vitest's provide/inject).
import type { Provider } from '../../src/db/migrate/datamodel.ts';

export interface PostgresqlTemplate {
  /** The server's own database, where scratch databases are created and dropped. */
  serverUrl: string;
  /** A migrated database that each test copies (CREATE DATABASE … TEMPLATE). */
  template: string;
  /** Prefix of this run's databases, so that teardown finds any a killed test left. */
  runLabel: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseProvider: Provider;
    sqliteTemplate: string;
    postgresqlTemplate: PostgresqlTemplate | null;
    /** Why the PostgreSQL tests are skipped; null when they run. */
    postgresqlSkipReason: string | null;
  }
}
