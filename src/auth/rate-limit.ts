// Attempt counters for the operations an attacker repeats. Counters are rate-limiter-flexible's
// Prisma store, so they live in the database: they survive restarts and every instance that
// shares the database shares them. Every check happens before the expensive or visible work
// (bcrypt, mail), so a refused attempt costs the service one small query.
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { RateLimitedError } from './errors.ts';
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

interface Backoff {
  failures: RateLimiterPrisma;
  pause: RateLimiterPrisma;
}

export class RateLimits {
  readonly #window: Map<keyof RateLimitPolicy, RateLimiterPrisma>;
  readonly #accounts: Backoff;
  readonly #devices: Backoff;

  constructor(
    prisma: PrismaClient,
    private readonly policy: RateLimitPolicy,
    private readonly onLimited: (limit: LimitName, retryAfterSeconds: number, client: ClientInfo) => void = () => {},
  ) {
    const store = (keyPrefix: string, points: number, duration: number) =>
      new RateLimiterPrisma({
        storeClient: prisma,
        tableName: 'rateLimit',
        keyPrefix,
        points,
        duration,
        // Expired rows are removed by AuthService.sweepExpired on main.ts's timer, not by a
        // timer of the library's own started in a constructor.
        clearExpiredByTimeout: false,
      } as ConstructorParameters<typeof RateLimiterPrisma>[0]);
    this.#window = new Map(
      (Object.keys(policy) as Array<keyof RateLimitPolicy>)
        .filter((name) => name !== 'loginPerAccount')
        .map((name) => {
          const limit = policy[name] as WindowLimit;
          return [name, store(name, limit.points, limit.durationSeconds)];
        }),
    );
    const backoff = (prefix: string) => ({
      failures: store(`${prefix}Failures`, Number.MAX_SAFE_INTEGER, FAILURE_MEMORY_SECONDS),
      pause: store(`${prefix}Pause`, 1, policy.loginPerAccount.baseSeconds),
    });
    this.#accounts = backoff('login');
    this.#devices = backoff('device');
  }

  /** Counts one attempt against a window limit, or throws RateLimitedError. */
  async consume(name: Exclude<keyof RateLimitPolicy, 'loginPerAccount'>, key: string, client: ClientInfo): Promise<void> {
    const limiter = this.#window.get(name)!;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      throw this.#limited(name, rejection, client);
    }
  }

  #backoffOf(subject: LoginSubject): { backoff: Backoff; key: string; limit: LimitName } {
    return 'email' in subject
      ? { backoff: this.#accounts, key: subject.email, limit: 'loginBackoff' }
      : { backoff: this.#devices, key: subject.deviceId, limit: 'deviceBackoff' };
  }

  /**
   * One password attempt of a subject (an account, keyed by the normalised email so an email
   * without an account is limited after exactly the same number of tries; or a trusted device).
   * The first `freeAttempts` go through at once; after that, one attempt per pause, the pause
   * doubling from `baseSeconds` up to `maxSeconds`. Counted before the password is checked, so
   * concurrent guesses cannot all slip through; a success clears it (passwordSucceeded).
   */
  async consumePasswordAttempt(subject: LoginSubject, client: ClientInfo): Promise<void> {
    const { freeAttempts, baseSeconds, maxSeconds } = this.policy.loginPerAccount;
    const { backoff, key, limit } = this.#backoffOf(subject);
    const attempt = (await backoff.failures.consume(key)).consumedPoints;
    if (attempt < freeAttempts) return;
    // The last free attempt opens the first pause; each attempt after one opens a longer one.
    const pauseSeconds = Math.min(maxSeconds, baseSeconds * 2 ** (attempt - freeAttempts));
    try {
      await backoff.pause.consume(key, 1, { customDuration: pauseSeconds });
    } catch (rejection) {
      // A refused attempt is not a guess: it must not lengthen the next pause.
      await backoff.failures.reward(key);
      throw this.#limited(limit, rejection, client);
    }
  }

  /** The attempt was counted but its password never checked (the service shed it). */
  async refundPasswordAttempt(subject: LoginSubject): Promise<void> {
    const { backoff, key } = this.#backoffOf(subject);
    await backoff.failures.reward(key);
  }

  /** The right password: the subject's run of failures is over. */
  async passwordSucceeded(subject: LoginSubject): Promise<void> {
    const { backoff, key } = this.#backoffOf(subject);
    await Promise.all([backoff.failures.delete(key), backoff.pause.delete(key)]);
  }

  #limited(name: LimitName, rejection: unknown, client: ClientInfo): unknown {
    if (!(rejection instanceof RateLimiterRes)) return rejection; // the store failed: fail closed
    const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    this.onLimited(name, retryAfterSeconds, client);
    return new RateLimitedError(retryAfterSeconds);
  }
}
