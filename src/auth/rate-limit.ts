// Attempt counters for the operations an attacker repeats. Every check happens before the
// expensive or visible work (bcrypt, mail), so a refused attempt costs the service one small
// query.
//
// Why our own counting and not a library: rate-limiter-flexible (used here before) reads
// Date.now() inside its stores and offers no clock to inject, so limits ran on the wall clock
// while sessions and tokens ran on the service's Clock, and tests had to fake `Date` for the
// one and move a TestClock for the other. The counting it did for us is small: add to a
// counter that expires, atomically (RateLimitStore.addPoints, one SQL statement), and compare.
// So the limiter reads `clock.now()` like the rest of auth/, and its counters sit behind a
// store interface implemented beside the repository. Keys and the `RateLimit` table are the
// ones the library used, so counters written before the change still hold after it.
import type { Clock } from '../clock.ts';
import type { AuditLog } from './audit.ts';
import { RateLimitedError } from './errors.ts';
import type { RateLimitStore } from './rate-limit-store.ts';
import type { ClientInfo } from './records.ts';

/** At most `points` attempts per `durationSeconds` window. */
export interface WindowLimit {
  points: number;
  durationSeconds: number;
}

/** Consecutive failures on one account: `freeAttempts`, then one attempt per growing pause. */
export interface LoginBackoff {
  freeAttempts: number;
  baseSeconds: number;
  maxSeconds: number;
}

export interface RateLimitPolicy {
  loginPerIp: WindowLimit;
  loginPerAccount: LoginBackoff;
  registerPerIp: WindowLimit;
  resetRequestPerIp: WindowLimit;
  resetRequestPerEmail: WindowLimit;
  resetPerIp: WindowLimit;
  resetPerAccount: WindowLimit;
  changePasswordPerIp: WindowLimit;
  changePasswordPerAccount: WindowLimit;
  verificationRequestPerIp: WindowLimit;
  verificationRequestPerEmail: WindowLimit;
  verifyEmailPerIp: WindowLimit;
  /** changeEmail and deleteAccount: both ask for the current password. */
  accountChangePerIp: WindowLimit;
  accountChangePerAccount: WindowLimit;
  /** passkeyRegistrationOptions and passkeyLoginOptions: each stores a challenge. */
  passkeyOptionsPerIp: WindowLimit;
  passkeyLoginPerIp: WindowLimit;
  /** Every check of a second-factor code (verifyMfa, and the code-taking operations of a session). */
  verifyMfaPerIp: WindowLimit;
}

/** Failed-login counts are forgotten a day after the first failure of a run. */
const FAILURE_MEMORY_SECONDS = 86_400;

export type LimitName = keyof RateLimitPolicy | 'loginBackoff' | 'deviceBackoff';

/**
 * Whose password attempts are counted: the account's (keyed by normalised email), or, for a
 * client presenting a valid device cookie of that account, that device's alone (OWASP's device
 * cookies): strangers' failures then never pause the owner's browser.
 */
export type LoginSubject = { email: string } | { deviceId: string };

export interface RateLimitsDeps {
  store: RateLimitStore;
  clock: Clock;
  policy: RateLimitPolicy;
  /** Every refusal is recorded as a `rate-limited` audit event. */
  audit: AuditLog;
}

export class RateLimits {
  constructor(private readonly deps: RateLimitsDeps) {}

  /** Counts one attempt against a window limit, or throws RateLimitedError. */
  async consume(name: Exclude<keyof RateLimitPolicy, 'loginPerAccount'>, key: string, client: ClientInfo): Promise<void> {
    const { points, durationSeconds } = this.deps.policy[name];
    const now = this.deps.clock.now();
    const counter = await this.deps.store.addPoints(`${name}:${key}`, 1, secondsAfter(now, durationSeconds), now);
    if (counter.points > points) throw this.#limited(name, counter.expiresAt, now, client);
  }

  /**
   * One password attempt of a subject (an account, keyed by the normalised email so an email
   * without an account is limited after exactly the same number of tries; or a trusted device).
   * The first `freeAttempts` go through at once; after that, one attempt per pause, the pause
   * doubling from `baseSeconds` up to `maxSeconds`. Counted before the password is checked, so
   * concurrent guesses cannot all slip through; a success clears it (passwordSucceeded).
   */
  async consumePasswordAttempt(subject: LoginSubject, client: ClientInfo): Promise<void> {
    const { freeAttempts, baseSeconds, maxSeconds } = this.deps.policy.loginPerAccount;
    const { failures, pause, limit } = backoffKeys(subject);
    const now = this.deps.clock.now();
    const attempt = (await this.deps.store.addPoints(failures, 1, secondsAfter(now, FAILURE_MEMORY_SECONDS), now)).points;
    if (attempt < freeAttempts) return;
    // The last free attempt opens the first pause; each attempt after one opens a longer one.
    // The pause counter lets through the one attempt that opens it and refuses the rest.
    const pauseSeconds = Math.min(maxSeconds, baseSeconds * 2 ** (attempt - freeAttempts));
    const paused = await this.deps.store.addPoints(pause, 1, secondsAfter(now, pauseSeconds), now);
    if (paused.points <= 1) return;
    // A refused attempt is not a guess: it must not lengthen the next pause.
    await this.#giveBack(failures, now);
    throw this.#limited(limit, paused.expiresAt, now, client);
  }

  /** The attempt was counted but its password never checked (the service shed it). */
  async refundPasswordAttempt(subject: LoginSubject): Promise<void> {
    await this.#giveBack(backoffKeys(subject).failures, this.deps.clock.now());
  }

  /**
   * A deleted account's counters: every counter keyed by its address or its id, so no row
   * holds the address afterwards (the deletion proved the password; nothing is lost to an
   * attacker, who would need it too).
   */
  async forgetAccount(account: { email: string; userId: string }): Promise<void> {
    const windowNames = Object.keys(this.deps.policy).filter((name) => name !== 'loginPerAccount');
    const { failures, pause } = backoffKeys({ email: account.email });
    const keys = windowNames.flatMap((name) => [`${name}:${account.email}`, `${name}:${account.userId}`]);
    await this.deps.store.deleteCounters([...keys, failures, pause]);
  }

  /** The right password: the subject's run of failures is over. */
  async passwordSucceeded(subject: LoginSubject): Promise<void> {
    const { failures, pause } = backoffKeys(subject);
    await this.deps.store.deleteCounters([failures, pause]);
  }

  async #giveBack(failures: string, now: Date): Promise<void> {
    await this.deps.store.addPoints(failures, -1, secondsAfter(now, FAILURE_MEMORY_SECONDS), now);
  }

  /** Store errors are not caught anywhere here: an attempt the store cannot count is refused (fails closed). */
  #limited(limit: LimitName, expiresAt: Date, now: Date, client: ClientInfo): RateLimitedError {
    const retryAfterSeconds = Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000));
    this.deps.audit.record('rate-limited', client, { outcome: 'refused', limit, retryAfterSeconds });
    return new RateLimitedError(retryAfterSeconds);
  }
}

function secondsAfter(now: Date, seconds: number): Date {
  return new Date(now.getTime() + seconds * 1000);
}

/** Keys as rate-limiter-flexible wrote them (`prefix:key`), so earlier counters still count. */
function backoffKeys(subject: LoginSubject): { failures: string; pause: string; limit: LimitName } {
  return 'email' in subject
    ? { failures: `loginFailures:${subject.email}`, pause: `loginPause:${subject.email}`, limit: 'loginBackoff' }
    : { failures: `deviceFailures:${subject.deviceId}`, pause: `devicePause:${subject.deviceId}`, limit: 'deviceBackoff' };
}
