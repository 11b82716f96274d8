// Guessing codes on one account: 10 wrong codes in a row lock its second step for 15 minutes,
// whatever the code, the right one included (API.md). A challenge allows only 5 codes and each
// needs the password, but a session holder (disableTotp, regenerateRecoveryCodes) needs no
// new challenge, so the account's own count is what bounds guessing on every path.
//
// Built on the rate limiter's counters (rate-limit-store.ts: atomic, shared by every instance,
// on the service's clock) and answered as every limit is: RATE_LIMITED with retryAfter, and a
// `rate-limited` audit event. Each attempt is counted before its code is checked, so a burst of
// concurrent guesses cannot all be checked while the count still reads low.
import type { Clock } from '../../clock.ts';
import type { AuditLog } from '../audit.ts';
import { RateLimitedError } from '../errors.ts';
import type { RateLimitStore } from '../rate-limit-store.ts';
import type { ClientInfo } from '../records.ts';

/** The contract's numbers (API.md, "Second factor"). */
export const MAX_CODE_FAILURES = 10;
export const CODE_LOCK_SECONDS = 15 * 60;
/** A run of failures is forgotten a day after it began, as the login back-off's is. */
const FAILURE_MEMORY_SECONDS = 86_400;

export interface CodeAttempt {
  /** Which attempt of the current run this is (1 for the first after a success). */
  number: number;
}

export class CodeLock {
  constructor(private readonly deps: { store: RateLimitStore; clock: Clock; audit: AuditLog }) {}

  /** Refuses while the account is locked; otherwise counts the attempt before its code is checked. */
  async begin(userId: string, client: ClientInfo): Promise<CodeAttempt> {
    const now = this.deps.clock.now();
    const lock = await this.deps.store.readCounter(lockKey(userId), now);
    if (lock !== null && lock.points > 0) throw this.#limited(lock.expiresAt, now, client);
    const failures = await this.deps.store.addPoints(failuresKey(userId), 1, secondsAfter(now, FAILURE_MEMORY_SECONDS), now);
    if (failures.points > MAX_CODE_FAILURES) throw this.#limited(await this.#lock(userId, now), now, client);
    return { number: failures.points };
  }

  /** A wrong code: the attempt stays counted; the one that completes the run locks the account. */
  async failed(userId: string, attempt: CodeAttempt): Promise<void> {
    if (attempt.number >= MAX_CODE_FAILURES) await this.#lock(userId, this.deps.clock.now());
  }

  /** The right code: the run of failures is over. */
  async succeeded(userId: string): Promise<void> {
    await this.deps.store.deleteCounters([failuresKey(userId)]);
  }

  /** Opens the lock (or finds it open) and starts the next run afresh; returns when it ends. */
  async #lock(userId: string, now: Date): Promise<Date> {
    const lock = await this.deps.store.addPoints(lockKey(userId), 1, secondsAfter(now, CODE_LOCK_SECONDS), now);
    await this.deps.store.deleteCounters([failuresKey(userId)]);
    return lock.expiresAt;
  }

  #limited(until: Date, now: Date, client: ClientInfo): RateLimitedError {
    const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    this.deps.audit.record('rate-limited', client, { outcome: 'refused', limit: 'secondFactorLock', retryAfterSeconds });
    return new RateLimitedError(retryAfterSeconds);
  }
}

const failuresKey = (userId: string) => `mfaFailures:${userId}`;
const lockKey = (userId: string) => `mfaLock:${userId}`;

function secondsAfter(now: Date, seconds: number): Date {
  return new Date(now.getTime() + seconds * 1000);
}
