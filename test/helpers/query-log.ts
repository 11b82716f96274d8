// A test app whose Prisma client reports every statement it sends (Prisma's `query` events),
// so a test can say exactly which queries one GraphQL operation costs.
import { createTestApp } from './app.ts';

/** The statements of one operation, split by who asked for them. */
export interface QueryCount {
  /** The rate-limit counter store (auth/rate-limit-repository.ts): statements on the "RateLimit" table. */
  rateLimit: number;
  /** Everything else: the service's own reads and writes, and any load the schema adds. */
  own: number;
  /** Transactions, each counted once by its end (Prisma reports a COMMIT, not the BEGIN). */
  transactions: number;
}

/** The counters' table, as SQLite (`main`.`RateLimit`) and PostgreSQL ("public"."RateLimit") quote it. */
const RATE_LIMIT_TABLE = /[`"]RateLimit[`"]/;
const TRANSACTION_END = /^\s*(COMMIT|ROLLBACK)\b/i;

export async function createQueryCountingApp(env: Record<string, string> = {}) {
  const statements: string[] = [];
  const api = await createTestApp(env, { onQuery: (event) => statements.push(event.query) });

  /**
   * Runs `operation`, waits for the work it started after its response (mail, session touches),
   * and returns the statements sent meanwhile (`sql`: without the transactions' ends). Nothing
   * else may run on the app meanwhile.
   */
  async function queriesOf(operation: () => Promise<unknown>): Promise<{ count: QueryCount; sql: string[] }> {
    await api.background.drain();
    statements.length = 0;
    await operation();
    await api.background.drain();
    const sql = statements.filter((statement) => !TRANSACTION_END.test(statement));
    const rateLimit = sql.filter((statement) => RATE_LIMIT_TABLE.test(statement)).length;
    return { count: { rateLimit, own: sql.length - rateLimit, transactions: statements.length - sql.length }, sql };
  }

  return { ...api, queriesOf };
}
