// One housekeeping run: every sweep of sweeps.ts, batch by batch. A single DELETE of every dead
// row held SQLite's event loop (better-sqlite3 is synchronous) for seconds on a large table, and
// on PostgreSQL could outlive the statement timeout; a batch touches a bounded number of rows
// (on SQLite in a worker thread, see db/sweep-executor.ts), and the run yields to the event loop
// after each one, so requests are served in between.
// Each batch commits on its own: a run that stops (shutdown, crash) loses nothing, and the next
// run carries on from what is left.
// How many rows a batch may take is measured, not guessed. On SQLite a batch holds the one write
// lock, and a write of the service that comes meanwhile waits for it on the event loop, so the
// size follows the time each batch held the lock, aiming at TARGET_BATCH_MS. On PostgreSQL
// nothing waits on a batch: the size doubles up to MAX_BATCH_SIZE.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { sweeps as defaultSweeps, type Sweep, type SweepCutoffs, type SweepExecutor } from './sweeps.ts';

/** How long one SQLite batch may hold the write lock: well under the 100 ms a request may wait (issue 16). */
export const TARGET_BATCH_MS = 20;
const FIRST_BATCH_SIZE = 100;
const MIN_BATCH_SIZE = 10;
const MAX_BATCH_SIZE = 1000;

/** The next batch's size from how long the last one held the lock: at most doubling, never below MIN. */
export function nextBatchSize(size: number, lockHeldMs: number | null): number {
  if (lockHeldMs === null) return Math.min(MAX_BATCH_SIZE, 2 * size);
  const fitting = Math.round((size * TARGET_BATCH_MS) / Math.max(lockHeldMs, 1));
  return Math.max(MIN_BATCH_SIZE, Math.min(MAX_BATCH_SIZE, 2 * size, fitting));
}

export interface HousekeepingDeps {
  /** The database's (Database.sweeps). */
  executor: SweepExecutor;
  clock: Clock;
  log: Logger;
  sessionIdleTimeoutMs: number;
  /** Default: every sweep of sweeps.ts. */
  sweeps?: readonly Sweep[];
}

export interface RunOptions {
  /** Rows per batch, fixed; default: sized from each batch's time (nextBatchSize). */
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
  /**
   * The longest the event loop was held while the run went on (perf_hooks' event-loop delay, 10 ms
   * resolution; it includes whatever else the process did, and time the OS gave to others):
   * what the benchmark checks against the 100 ms a request may wait.
   */
  longestStallMs: number;
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
    const started = performance.now();
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const now = this.deps.clock.now();
    const cutoffs = { now, sessionIdleCutoff: new Date(now.getTime() - this.deps.sessionIdleTimeoutMs) };
    const removed: Record<string, number> = {};
    let batches = 0;
    let complete = true;
    try {
      for (const sweep of this.#sweeps) {
        const swept = await this.#sweep(sweep, cutoffs, options);
        removed[sweep.name] = swept.deleted;
        batches += swept.batches;
        complete = swept.complete;
        if (!complete) break;
      }
    } finally {
      stalls.disable();
      await this.deps.executor.release();
    }
    const summary = {
      removed,
      batches,
      durationMs: Math.round(performance.now() - started),
      longestStallMs: Math.round(stalls.max / 1e6),
      complete,
    };
    this.deps.log.info({ housekeeping: summary }, 'housekeeping run done');
    return summary;
  }

  /** One sweep, batch after batch, until a batch comes back short (or the run is stopped). */
  async #sweep(sweep: Sweep, cutoffs: SweepCutoffs, options: RunOptions) {
    let batchSize = options.batchSize ?? FIRST_BATCH_SIZE;
    let deleted = 0;
    let batches = 0;
    for (;;) {
      if (options.isStopping?.()) return { deleted, batches, complete: false };
      const batch = await this.deps.executor.deleteBatch(sweep, cutoffs, batchSize);
      batches += 1;
      deleted += batch.deleted;
      await nextTurn();
      await options.betweenBatches?.();
      if (batch.deleted < batchSize) return { deleted, batches, complete: true };
      if (options.batchSize === undefined) batchSize = nextBatchSize(batchSize, batch.lockHeldMs);
    }
  }
}
