// One housekeeping run: every sweep of sweeps.ts, batch by batch. A single DELETE of every dead
// row held SQLite's event loop (better-sqlite3 is synchronous) for seconds on a large table, and
// on PostgreSQL could outlive the statement timeout; a batch touches at most `batchSize` rows,
// and the run yields to the event loop after each one, so requests are served in between.
// Each batch commits on its own: a run that stops (shutdown, crash) loses nothing, and the next
// run carries on from what is left.
import type { Clock } from '../clock.ts';
import type { DatabaseClient } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { sweeps as defaultSweeps, type Sweep } from './sweeps.ts';

/** Rows per batch: a few milliseconds of work on either database. */
export const DEFAULT_BATCH_SIZE = 500;

export interface HousekeepingDeps {
  prisma: DatabaseClient;
  clock: Clock;
  log: Logger;
  sessionIdleTimeoutMs: number;
  /** Default: every sweep of sweeps.ts. */
  sweeps?: readonly Sweep[];
}

export interface RunOptions {
  batchSize?: number;
  /** Awaited after each batch, once the event loop has had its turn (tests hold the run here). */
  betweenBatches?: () => Promise<void>;
  /** Checked before each batch; true ends the run early (shutdown). */
  isStopping?: () => boolean;
}

export interface HousekeepingSummary {
  /** Rows deleted per sweep name. */
  removed: Record<string, number>;
  batches: number;
  durationMs: number;
  /** False when the run was stopped before it was done. */
  complete: boolean;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Housekeeping {
  readonly #sweeps: readonly Sweep[];

  constructor(private readonly deps: HousekeepingDeps) {
    this.#sweeps = deps.sweeps ?? defaultSweeps;
  }

  async run(options: RunOptions = {}): Promise<HousekeepingSummary> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const isStopping = options.isStopping ?? (() => false);
    const started = performance.now();
    const now = this.deps.clock.now();
    const cutoffs = { now, sessionIdleCutoff: new Date(now.getTime() - this.deps.sessionIdleTimeoutMs) };
    const removed: Record<string, number> = {};
    let batches = 0;
    let complete = true;
    for (const sweep of this.#sweeps) {
      let deleted = 0;
      for (;;) {
        if (isStopping()) {
          complete = false;
          break;
        }
        const batch = await sweep.sweepBatch(this.deps.prisma, cutoffs, batchSize);
        batches += 1;
        deleted += batch.deleted;
        await nextTurn();
        await options.betweenBatches?.();
        if (batch.found < batchSize) break;
      }
      removed[sweep.name] = deleted;
      if (!complete) break;
    }
    const summary = { removed, batches, durationMs: Math.round(performance.now() - started), complete };
    this.deps.log.info({ housekeeping: summary }, 'housekeeping run done');
    return summary;
  }
}
