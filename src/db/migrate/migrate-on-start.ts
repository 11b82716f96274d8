// Migrating at start-up. SQLite is a local file: if it cannot be migrated now, waiting will not
// help, so start-up fails as before. PostgreSQL is a server that may be down or restarting
// while instances start: the process comes up not-ready and keeps trying in the background.
import type { Logger } from '../../logger.ts';
import type { Database } from '../client.ts';
import type { MigrationLayout } from './layout.ts';
import { migrateInChildProcess } from './migrate-child.ts';
import { hasPendingMigrations } from './migration-status.ts';

export interface MigrationState {
  /** True once the database has every migration; until then it must not be queried. */
  isMigrated(): boolean;
  /** Stops retrying (shutdown). */
  stop(): void;
}

/** A request arrived before the migrations were applied; masked as INTERNAL_SERVER_ERROR. */
export class DatabaseNotReadyError extends Error {
  constructor() {
    super('the database is not migrated yet');
    this.name = 'DatabaseNotReadyError';
  }
}

export interface RetryPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Quick at first (a server restarting), then every 10 s at most so recovery stays prompt. */
const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 250, maxDelayMs: 10_000 };

export async function migrateOnStart(
  database: Pick<Database, 'target' | 'prisma'>,
  layout: MigrationLayout,
  options: { connectTimeoutMs: number; log: Logger; retry?: RetryPolicy },
): Promise<MigrationState> {
  const { target, prisma } = database;
  const { log } = options;
  const shutdown = new AbortController();
  const migrate = async () => {
    const pending = await hasPendingMigrations(prisma, layout);
    // The engine locks a SQLite file for itself: the service's connection must be closed
    // meanwhile (Prisma opens it again at the next query).
    if (pending) await prisma.$disconnect();
    const applied = pending
      ? await migrateInChildProcess({ target, layout, connectTimeoutMs: options.connectTimeoutMs }, shutdown.signal)
      : [];
    log.info({ provider: target.provider, applied }, applied.length > 0 ? 'database migrated' : 'database up to date');
  };
  if (target.provider === 'sqlite') {
    await migrate();
    return { isMigrated: () => true, stop: () => {} };
  }
  return retryInBackground(migrate, options.retry ?? DEFAULT_RETRY, log, shutdown);
}

function retryInBackground(migrate: () => Promise<void>, retry: RetryPolicy, log: Logger, shutdown: AbortController): MigrationState {
  let migrated = false;
  let timer: NodeJS.Timeout | null = null;
  const attempt = async (number: number, delayMs: number): Promise<void> => {
    try {
      await migrate();
      migrated = true;
    } catch (error) {
      if (shutdown.signal.aborted) return;
      // Jitter keeps instances that lost the database together from retrying in lockstep.
      const waitMs = Math.round(delayMs * (0.75 + Math.random() * 0.5));
      log.warn(
        { attempt: number, retryInMs: waitMs, reason: error instanceof Error ? error.message : String(error) },
        'database not ready: cannot migrate yet, retrying',
      );
      timer = setTimeout(() => void attempt(number + 1, Math.min(delayMs * 2, retry.maxDelayMs)), waitMs);
    }
  };
  void attempt(1, retry.firstDelayMs);
  return {
    isMigrated: () => migrated,
    stop() {
      if (timer !== null) clearTimeout(timer);
      shutdown.abort();
    },
  };
}
