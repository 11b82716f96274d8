// Checking a password the way every operation that takes one must: shed under overload before
// anything is counted, count the attempt against the right subject's back-off, one bcrypt
// compare whatever the account, and refund the attempt when the check never ran. Shared by
// login and by every operation that asks a logged-in user for their current password.
import type { AuditLog } from './audit.ts';
import { InvalidCredentialsError } from './errors.ts';
import { HashingOverloadedError } from './hashing-queue.ts';
import type { PasswordHasher } from './passwords.ts';
import type { LoginSubject, RateLimitPolicy, RateLimits } from './rate-limit.ts';
import type { ClientInfo, UserWithPasswordRecord } from './records.ts';
import type { AuthRepository } from './repository.ts';
import { deviceTokenHash } from './trusted-devices.ts';
import type { Clock } from '../clock.ts';

export interface CredentialCheckDeps {
  repo: AuthRepository;
  passwords: PasswordHasher;
  limits: RateLimits;
  clock: Clock;
  audit: AuditLog;
}

/** The per-IP and per-account budgets an operation asking for the current password spends. */
export interface CurrentPasswordLimits {
  perIp: WindowLimitName;
  perAccount: WindowLimitName;
}

type WindowLimitName = Exclude<keyof RateLimitPolicy, 'loginPerAccount'>;

export class CredentialCheck {
  constructor(private readonly deps: CredentialCheckDeps) {}

  #shedSinceLastRecord = 0;
  #lastShedRecordAt = 0;

  /**
   * Refuses work the hashing queue could not finish in time. Shedding is recorded at most once
   * a second, with the count, so a flood of refusals does not become a flood of log lines.
   */
  assertHashingCapacity(client: ClientInfo): void {
    try {
      this.deps.passwords.assertCapacity();
    } catch (error) {
      if (error instanceof HashingOverloadedError) {
        this.#shedSinceLastRecord += 1;
        const now = Date.now();
        if (now - this.#lastShedRecordAt >= 1000) {
          this.deps.audit.record('rate-limited', client, {
            outcome: 'refused',
            limit: 'hashingCapacity',
            retryAfterSeconds: error.retryAfterSeconds,
            count: this.#shedSinceLastRecord,
          });
          this.#shedSinceLastRecord = 0;
          this.#lastShedRecordAt = now;
        }
      }
      throw error;
    }
  }

  /**
   * Whose attempt a password check is: the device's, when the request carries a live device
   * cookie of this very account; otherwise the account's. The device lookup runs whether or not
   * the account exists, so it tells nothing about the email.
   */
  async attemptSubject(
    email: string,
    user: { id: string } | null,
    deviceToken: string | null,
  ): Promise<{ subject: LoginSubject; deviceId: string | null }> {
    const tokenHash = deviceTokenHash(deviceToken);
    const device = tokenHash === null ? null : await this.deps.repo.findTrustedDevice(tokenHash, this.deps.clock.now());
    if (device !== null && user !== null && device.userId === user.id) return { subject: { deviceId: device.id }, deviceId: device.id };
    return { subject: { email }, deviceId: null };
  }

  /** One bcrypt compare (against a dummy hash when there is none); the attempt is refunded if it never ran. */
  async verifyOrRefund(subject: LoginSubject, password: string, passwordHash: string | null): Promise<boolean> {
    try {
      return await this.deps.passwords.verify(password, passwordHash);
    } catch (error) {
      if (error instanceof HashingOverloadedError) await this.deps.limits.refundPasswordAttempt(subject);
      throw error;
    }
  }

  /**
   * The logged-in user's current password, proven: a wrong one is a guess like a wrong login's
   * and counts against the same back-off (the account's, or the device's when the request
   * carries its device cookie). Returns the user as read with the hash, whose credentialVersion
   * a write made on the strength of this check must still match. `onFailure` records the
   * operation's own audit event before INVALID_CREDENTIALS.
   */
  async proveCurrentPassword(input: {
    userId: string;
    email: string;
    password: string;
    client: ClientInfo;
    deviceToken: string | null;
    limits: CurrentPasswordLimits;
    onFailure(): void;
  }): Promise<UserWithPasswordRecord> {
    const { client } = input;
    this.assertHashingCapacity(client);
    await this.deps.limits.consume(input.limits.perIp, client.rateLimitKey, client);
    await this.deps.limits.consume(input.limits.perAccount, input.userId, client);
    const user = await this.deps.repo.findUserWithPassword(input.userId);
    const { subject } = await this.attemptSubject(input.email, user, input.deviceToken);
    await this.deps.limits.consumePasswordAttempt(subject, client);
    if (user === null || !(await this.verifyOrRefund(subject, input.password, user.passwordHash))) {
      input.onFailure();
      throw new InvalidCredentialsError();
    }
    await this.deps.limits.passwordSucceeded(subject);
    return user;
  }
}
