// Attempt counters for the operations an attacker repeats. Counters are rate-limiter-flexible's
// Prisma store, so they live in the database: they survive restarts and every instance that
// shares the database shares them. Every check happens before the expensive or visible work
// (bcrypt, mail), so a refused attempt costs the service one small query.
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { RateLimitedError } from './errors.ts';

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

export type LimitName = keyof RateLimitPolicy | 'loginBackoff';

export class RateLimits {
  readonly #window: Map<keyof RateLimitPolicy, RateLimiterPrisma>;
  readonly #loginFailures: RateLimiterPrisma;
  readonly #loginPause: RateLimiterPrisma;

  constructor(
    prisma: PrismaClient,
    private readonly policy: RateLimitPolicy,
    private readonly onLimited: (limit: LimitName, retryAfterSeconds: number) => void = () => {},
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
    this.#loginFailures = store('loginFailures', Number.MAX_SAFE_INTEGER, FAILURE_MEMORY_SECONDS);
    this.#loginPause = store('loginPause', 1, policy.loginPerAccount.baseSeconds);
  }

  /** Counts one attempt against a window limit, or throws RateLimitedError. */
  async consume(name: Exclude<keyof RateLimitPolicy, 'loginPerAccount'>, key: string): Promise<void> {
    const limiter = this.#window.get(name)!;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      throw this.#limited(name, rejection);
    }
  }

  /**
   * One login attempt on an account (keyed by the normalised email, so an email without an
   * account is limited after exactly the same number of tries). The first `freeAttempts` go
   * through at once; after that, one attempt per pause, the pause doubling from `baseSeconds`
   * up to `maxSeconds`. Counted before the password is checked, so concurrent guesses cannot all
   * slip through; a successful login clears it (loginSucceeded).
   */
  async consumeLoginAttempt(email: string): Promise<void> {
    const { freeAttempts, baseSeconds, maxSeconds } = this.policy.loginPerAccount;
    const attempt = (await this.#loginFailures.consume(email)).consumedPoints;
    if (attempt < freeAttempts) return;
    // The last free attempt opens the first pause; each attempt after one opens a longer one.
    const pauseSeconds = Math.min(maxSeconds, baseSeconds * 2 ** (attempt - freeAttempts));
    try {
      await this.#loginPause.consume(email, 1, { customDuration: pauseSeconds });
    } catch (rejection) {
      // A refused attempt is not a guess: it must not lengthen the next pause.
      await this.#loginFailures.reward(email);
      throw this.#limited('loginBackoff', rejection);
    }
  }

  /** The attempt was counted but its password never checked (the service shed it). */
  async refundLoginAttempt(email: string): Promise<void> {
    await this.#loginFailures.reward(email);
  }

  async loginSucceeded(email: string): Promise<void> {
    await Promise.all([this.#loginFailures.delete(email), this.#loginPause.delete(email)]);
  }

  #limited(name: LimitName, rejection: unknown): unknown {
    if (!(rejection instanceof RateLimiterRes)) return rejection; // the store failed: fail closed
    const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    this.onLimited(name, retryAfterSeconds);
    return new RateLimitedError(retryAfterSeconds);
  }
}
