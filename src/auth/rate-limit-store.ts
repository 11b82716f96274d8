// Where attempt counters are kept (rate-limit.ts decides what they mean). The production store
// is the database (rate-limit-repository.ts), so counters survive restarts and every instance
// on the database shares them; the interface keeps the limiter free of Prisma.

/** A counter as the store holds it after a change. */
export interface Counter {
  points: number;
  expiresAt: Date;
}

export interface RateLimitStore {
  /**
   * Adds `points` (negative to give some back) to the counter at `key` and returns it. A counter
   * that is missing, or expired at `now`, starts afresh at `points` and expires at `expiresAt`;
   * a live one keeps its expiry. One atomic step: concurrent calls, from any instance, are
   * each counted, and each sees the count its own call produced.
   */
  addPoints(key: string, points: number, expiresAt: Date, now: Date): Promise<Counter>;
  /** The counter at `key` when it is live at `now`, else null; changes nothing. */
  readCounter(key: string, now: Date): Promise<Counter | null>;
  /** Forgets the counters, live or not. */
  deleteCounters(keys: string[]): Promise<void>;
}
