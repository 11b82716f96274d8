// bcrypt is the one CPU-heavy thing this service does, and it runs on libuv's thread pool. Left
// alone, a login storm fills every core with hashing: the event loop starves and every `me`
// waits. The queue bounds it two ways:
// - at most `concurrency` hashes at once (default: one fewer than the cores, at least one), so
//   the event loop keeps a core for everything else;
// - no more queued than the hashing capacity can finish within `maxWaitMs`: beyond that a
//   request is refused at once (RATE_LIMITED with retryAfter) instead of piling up in a queue
//   that would keep the server busy long after an attack stops.
import { performance } from 'node:perf_hooks';
import PQueue from 'p-queue';
import { RateLimitedError } from './errors.ts';

/** Overload, not the caller's own attempts; it maps to RATE_LIMITED like any limit. */
export class HashingOverloadedError extends RateLimitedError {}

export interface HashingQueueOptions {
  concurrency: number;
  maxWaitMs: number;
  /** What one hash is assumed to take until hashes have been timed. */
  initialEstimateMs: number;
  /** Told of each refusal and each finished hash (metrics); null: nobody listens. */
  observer?: HashingObserver | null;
}

export interface HashingObserver {
  shed(): void;
  hashed(durationMs: number): void;
}

/** Weight of the newest timing in the running average. */
const SMOOTHING = 0.2;

export class HashingQueue {
  readonly #queue: PQueue;
  #averageMs: number;

  constructor(private readonly options: HashingQueueOptions) {
    this.#queue = new PQueue({ concurrency: options.concurrency });
    this.#averageMs = options.initialEstimateMs;
  }

  /** When a hash queued now would finish, in ms, at the current pace. */
  expectedFinishMs(): number {
    const ahead = this.#queue.size + this.#queue.pending;
    const rounds = Math.floor(ahead / this.options.concurrency) + 1;
    return rounds * this.#averageMs;
  }

  /** Throws HashingOverloadedError when a hash could not finish within maxWaitMs. */
  assertCapacity(): void {
    const finishMs = this.expectedFinishMs();
    if (finishMs > this.options.maxWaitMs) {
      this.options.observer?.shed();
      throw new HashingOverloadedError(Math.max(1, Math.ceil((finishMs - this.options.maxWaitMs) / 1000)));
    }
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.assertCapacity();
    return this.#queue.add(async () => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        const durationMs = performance.now() - started;
        this.#averageMs += SMOOTHING * (durationMs - this.#averageMs);
        this.options.observer?.hashed(durationMs);
      }
    }) as Promise<T>;
  }

  get queued(): number {
    return this.#queue.size;
  }

  get running(): number {
    return this.#queue.pending;
  }

  get averageMs(): number {
    return this.#averageMs;
  }
}
