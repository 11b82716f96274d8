// AuthService: one public method per operation of the contract. It holds the rules and knows
// nothing of GraphQL or HTTP: the edge hands it plain input and the client's details, and sets
// cookies from what it returns. Rate limits are checked before any bcrypt or mail.
import type { BackgroundTasks } from '../background.ts';
import type { Clock } from '../clock.ts';
import type { Mailer } from '../mail/mailer.ts';
import { passwordChangedMessage, passwordResetMessage } from '../mail/messages.ts';
import type { AuditLog } from './audit.ts';
import { normaliseEmail } from './email.ts';
import { InvalidCredentialsError, InvalidInputError, InvalidTokenError } from './errors.ts';
import { HashingOverloadedError } from './hashing-queue.ts';
import { assertPasswordCandidate, assertPasswordPolicy, type PasswordHasher } from './passwords.ts';
import type { LoginSubject, RateLimits } from './rate-limit.ts';
import type { ClientInfo, SelectedRow, SessionRecord, UserRecord, UserWithPasswordRecord } from './records.ts';
import type { AuthRepository, SessionQuery, UserQuery } from './repository.ts';
import { idleCutoff, isSessionLive, issueSession, needsTouch, type SessionPolicy } from './sessions.ts';
import { generateToken, hashToken, isWellFormedToken } from './tokens.ts';
import { deviceTokenHash, issueTrustedDevice, type TrustedDevicePolicy } from './trusted-devices.ts';

export interface AuthServiceDeps {
  repo: AuthRepository;
  passwords: PasswordHasher;
  limits: RateLimits;
  mailer: Mailer;
  clock: Clock;
  audit: AuditLog;
  background: BackgroundTasks;
  sessionPolicy: SessionPolicy;
  devicePolicy: TrustedDevicePolicy;
  reset: { ttlSeconds: number; url: string };
  hooks?: AuthHooks;
}

/**
 * Points where a test can hold an operation, to force an interleaving with another request
 * deterministically (test/security/credential-races.test.ts). Production passes none.
 */
export interface AuthHooks {
  /** After a password was found right, before anything is written on its strength. */
  afterPasswordCheck?(operation: 'login' | 'changePassword'): Promise<void>;
}

/** The session a request carries, once validated. */
export interface AuthenticatedSession {
  session: SessionRecord;
  user: UserRecord;
}

/** A session (or device cookie) just started: the token goes into the cookie and nowhere else. */
export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

/** What a successful login hands the edge: the user as the client selected it, and the two cookies to set. */
export interface LoggedIn {
  user: SelectedRow<UserRecord>;
  session: IssuedSession;
  device: IssuedSession;
}

const MAX_ID_LENGTH = 64;
const MAX_TOKEN_LENGTH = 128;

/** The edge derives the key (an IPv6 /64, a shared one for unknown addresses); see ClientInfo. */
function ipKey(client: ClientInfo): string {
  return client.rateLimitKey;
}

export class AuthService {
  constructor(private readonly deps: AuthServiceDeps) {}

  /** `query`: the client's selection of the new user (repository.ts, UserQuery). */
  async register(input: { email: string; password: string }, client: ClientInfo, query: UserQuery): Promise<SelectedRow<{ id: string }>> {
    const email = normaliseEmail(input.email);
    const password = assertPasswordPolicy(input.password, 'password', email);
    this.assertHashingCapacity(client);
    await this.deps.limits.consume('registerPerIp', ipKey(client), client);
    const passwordHash = await this.deps.passwords.hash(password);
    const user = await this.deps.repo.createUser({ email, passwordHash, now: this.deps.clock.now() }, query);
    this.deps.audit.record('register', client, { outcome: 'success', userId: user.id });
    return user;
  }

  /**
   * Always one bcrypt compare, against the user's hash or a dummy one, and one error for an
   * unknown email and a wrong password (API.md). A session the request carried is ended.
   * `deviceToken` is the request's device cookie: when it is a live one of this account, the
   * attempt is counted for that browser, not against the account (trusted-devices.ts).
   * `query` is the client's selection of the user: read with the credentials, in the one lookup
   * every attempt makes alike, and answered only once the password is proven.
   */
  async login(
    input: { email: string; password: string },
    client: ClientInfo,
    carried: AuthenticatedSession | null,
    deviceToken: string | null,
    query: UserQuery,
  ): Promise<LoggedIn> {
    const email = normaliseEmail(input.email);
    const password = assertPasswordCandidate(input.password, 'password');
    // Shed under overload before anything is counted: a flood must not push accounts into back-off.
    this.assertHashingCapacity(client);
    await this.deps.limits.consume('loginPerIp', ipKey(client), client);
    const user = await this.deps.repo.findUserByEmail(email, query);
    const { subject, deviceId } = await this.attemptSubject(email, user, deviceToken);
    await this.deps.limits.consumePasswordAttempt(subject, client);
    const matches = await this.verifyOrRefund(subject, password, user?.passwordHash ?? null);
    if (user === null || !matches) {
      const reason = user === null ? 'unknown-email' : 'wrong-password';
      this.deps.audit.record('login', client, { outcome: 'failure', reason, userId: user?.id ?? null, trustedDevice: deviceId !== null });
      throw new InvalidCredentialsError();
    }
    await this.deps.hooks?.afterPasswordCheck?.('login');
    const started = await this.startSession(user, client, carried?.session.id ?? null, deviceId);
    if (started === null) {
      // The password was changed or reset while this one was being checked: it is the old one.
      this.deps.audit.record('login', client, { outcome: 'failure', reason: 'credentials-changed', userId: user.id });
      throw new InvalidCredentialsError();
    }
    await this.deps.limits.passwordSucceeded(subject);
    if (this.deps.passwords.needsRehash(user.passwordHash)) this.upgradePasswordHash(user, password);
    this.deps.audit.record('login', client, { outcome: 'success', userId: user.id, trustedDevice: deviceId !== null });
    // The hash stays in the service; the rest is the row as the client selected it.
    const { passwordHash: _hash, credentialVersion: _version, ...selected } = user;
    return { user: selected, ...started };
  }

  /**
   * BCRYPT_COST changed since this hash was made: hash the password again at the current cost,
   * after the response. Stored only if the credentials are still those just checked; under
   * overload it is skipped, and the next login tries again.
   */
  private upgradePasswordHash(user: UserWithPasswordRecord, password: string): void {
    this.deps.background.run('password-rehash', async () => {
      try {
        const passwordHash = await this.deps.passwords.hash(password);
        await this.deps.repo.upgradePasswordHash({
          userId: user.id,
          credentialVersion: user.credentialVersion,
          from: user.passwordHash,
          to: passwordHash,
        });
      } catch (error) {
        if (!(error instanceof HashingOverloadedError)) throw error;
      }
    });
  }

  /**
   * Whose attempt a password check is: the device's, when the request carries a live device
   * cookie of this very account; otherwise the account's. The device lookup runs whether or not
   * the account exists, so it tells nothing about the email.
   */
  private async attemptSubject(
    email: string,
    user: { id: string } | null,
    deviceToken: string | null,
  ): Promise<{ subject: LoginSubject; deviceId: string | null }> {
    const tokenHash = deviceTokenHash(deviceToken);
    const device = tokenHash === null ? null : await this.deps.repo.findTrustedDevice(tokenHash, this.deps.clock.now());
    if (device !== null && user !== null && device.userId === user.id) return { subject: { deviceId: device.id }, deviceId: device.id };
    return { subject: { email }, deviceId: null };
  }

  #shedSinceLastRecord = 0;
  #lastShedRecordAt = 0;

  /**
   * Refuses work the hashing queue could not finish in time. Shedding is recorded at most once
   * a second, with the count, so a flood of refusals does not become a flood of log lines.
   */
  private assertHashingCapacity(client: ClientInfo): void {
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

  private async verifyOrRefund(subject: LoginSubject, password: string, passwordHash: string | null): Promise<boolean> {
    try {
      return await this.deps.passwords.verify(password, passwordHash);
    } catch (error) {
      if (error instanceof HashingOverloadedError) await this.deps.limits.refundPasswordAttempt(subject);
      throw error;
    }
  }

  /**
   * The session behind a cookie token, or null when it is unknown, expired or idle. Its
   * lastSeenAt is refreshed at most once per touch interval, off the response's path.
   */
  async authenticate(token: string | null): Promise<AuthenticatedSession | null> {
    if (token === null || !isWellFormedToken(token)) return null;
    const found = await this.deps.repo.findSessionByTokenHash(hashToken(token));
    if (found === null) return null;
    const now = this.deps.clock.now();
    const policy = this.deps.sessionPolicy;
    if (!isSessionLive(found.session, now, policy)) {
      this.deps.background.run('delete-dead-session', () => this.deps.repo.deleteSession(found.session.id));
      return null;
    }
    if (needsTouch(found.session, now, policy)) {
      this.deps.background.run('touch-session', () => this.deps.repo.touchSession(found.session.id, now));
    }
    return found;
  }

  async logout(current: AuthenticatedSession, client: ClientInfo): Promise<void> {
    await this.deps.repo.deleteSession(current.session.id);
    this.deps.audit.record('logout', client, { outcome: 'success', userId: current.user.id, sessionId: current.session.id });
  }

  /** `query`: the client's selection of each session (repository.ts, SessionQuery). */
  listSessions(current: AuthenticatedSession, query: SessionQuery): Promise<Array<SelectedRow<{ id: string }>>> {
    const now = this.deps.clock.now();
    return this.deps.repo.listLiveSessions(current.user.id, now, idleCutoff(now, this.deps.sessionPolicy), query);
  }

  /** False alike for an unknown id and another user's session (API.md). */
  async revokeSession(current: AuthenticatedSession, id: string, client: ClientInfo): Promise<boolean> {
    if (id.length === 0 || id.length > MAX_ID_LENGTH) throw new InvalidInputError('id', 'Session id is not valid.');
    const revoked = await this.deps.repo.deleteUserSession(current.user.id, id);
    this.deps.audit.record('session-revoked', client, {
      outcome: revoked ? 'success' : 'not-found',
      userId: current.user.id,
      sessionId: id,
    });
    return revoked;
  }

  async logoutEverywhere(current: AuthenticatedSession, client: ClientInfo): Promise<number> {
    const count = await this.deps.repo.deleteUserSessions(current.user.id);
    this.deps.audit.record('logout-everywhere', client, { outcome: 'success', userId: current.user.id, count });
    return count;
  }

  /**
   * Ends every other session and rotates the caller's: the returned session replaces the cookie.
   * A wrong current password is a guess like a wrong login's: it counts against the same
   * back-off (the account's, or the device's when the request carries its device cookie).
   */
  async changePassword(
    current: AuthenticatedSession,
    input: { currentPassword: string; newPassword: string },
    client: ClientInfo,
    deviceToken: string | null,
  ): Promise<IssuedSession> {
    const currentPassword = assertPasswordCandidate(input.currentPassword, 'currentPassword');
    const newPassword = assertPasswordPolicy(input.newPassword, 'newPassword', current.user.email);
    this.assertHashingCapacity(client);
    await this.deps.limits.consume('changePasswordPerIp', ipKey(client), client);
    await this.deps.limits.consume('changePasswordPerAccount', current.user.id, client);
    const user = await this.deps.repo.findUserWithPassword(current.user.id);
    const { subject } = await this.attemptSubject(current.user.email, user, deviceToken);
    await this.deps.limits.consumePasswordAttempt(subject, client);
    if (user === null || !(await this.verifyOrRefund(subject, currentPassword, user.passwordHash))) {
      this.deps.audit.record('password-changed', client, { outcome: 'failure', reason: 'wrong-password', userId: current.user.id });
      throw new InvalidCredentialsError();
    }
    await this.deps.hooks?.afterPasswordCheck?.('changePassword');
    await this.deps.limits.passwordSucceeded(subject);
    const passwordHash = await this.deps.passwords.hash(newPassword);
    const now = this.deps.clock.now();
    const { token, session } = issueSession(user, client, now, this.deps.sessionPolicy);
    if (!(await this.deps.repo.changePassword({ passwordHash, now, session }))) {
      // Changed or reset meanwhile: the current password this request proved is no longer it.
      this.deps.audit.record('password-changed', client, { outcome: 'failure', reason: 'credentials-changed', userId: user.id });
      throw new InvalidCredentialsError();
    }
    this.deps.audit.record('password-changed', client, { outcome: 'success', userId: user.id });
    this.notifyPasswordChanged(user, 'changed', now);
    return { token, expiresAt: session.expiresAt };
  }

  /**
   * Answers the same whether or not the account exists: only the rate limits run on the
   * request's path. The lookup, the token and the mail are the returned work, which the edge
   * starts once the response is out, so neither the answer nor its timing tells (API.md).
   * Mail failures are logged only.
   */
  async requestPasswordReset(input: { email: string }, client: ClientInfo): Promise<() => Promise<void>> {
    const email = normaliseEmail(input.email);
    await this.deps.limits.consume('resetRequestPerIp', ipKey(client), client);
    await this.deps.limits.consume('resetRequestPerEmail', email, client);
    return async () => {
      const user = await this.deps.repo.findUserByEmail(email);
      this.deps.audit.record('password-reset-requested', client, {
        outcome: user === null ? 'unknown-email' : 'mailed',
        userId: user?.id ?? null,
      });
      if (user !== null) await this.issueResetToken(user);
    };
  }

  private async issueResetToken(user: UserRecord): Promise<void> {
    const token = generateToken();
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + this.deps.reset.ttlSeconds * 1000);
    await this.deps.repo.replaceResetToken({ userId: user.id, tokenHash: hashToken(token), now, expiresAt });
    await this.deps.mailer.send(
      passwordResetMessage({ to: user.email, resetUrl: this.deps.reset.url, token, ttlSeconds: this.deps.reset.ttlSeconds }),
    );
  }

  /** Sets the password, consumes the token and ends every session of the user. */
  async resetPassword(input: { token: string; newPassword: string }, client: ClientInfo): Promise<void> {
    if (input.token.length === 0 || input.token.length > MAX_TOKEN_LENGTH) throw new InvalidInputError('token', 'Token is not valid.');
    await this.deps.limits.consume('resetPerIp', ipKey(client), client);
    const tokenHash = hashToken(input.token);
    // Checked before hashing, so a bad token costs no bcrypt; consumed atomically below.
    const owner = isWellFormedToken(input.token) ? await this.deps.repo.findResetTokenOwner(tokenHash, this.deps.clock.now()) : null;
    if (owner === null) {
      this.deps.audit.record('password-reset', client, { outcome: 'failure', reason: 'invalid-token' });
      throw new InvalidTokenError();
    }
    const newPassword = assertPasswordPolicy(input.newPassword, 'newPassword', owner.email);
    this.assertHashingCapacity(client);
    await this.deps.limits.consume('resetPerAccount', owner.id, client);
    const passwordHash = await this.deps.passwords.hash(newPassword);
    const now = this.deps.clock.now();
    const userId = await this.deps.repo.resetPassword({ tokenHash, passwordHash, now });
    // Whoever drove the account into back-off, its owner has just proven the mailbox.
    await this.deps.limits.passwordSucceeded({ email: owner.email });
    this.deps.audit.record('password-reset', client, { outcome: 'success', userId });
    this.notifyPasswordChanged(owner, 'reset', now);
  }

  private notifyPasswordChanged(user: { email: string }, how: 'changed' | 'reset', at: Date): void {
    this.deps.background.run('password-changed-mail', () => this.deps.mailer.send(passwordChangedMessage({ to: user.email, how, at })));
  }

  /**
   * A session and a fresh device cookie (replacing `deviceId`, the one the request carried); null
   * when the user's credentials changed since `user` was read.
   */
  private async startSession(
    user: UserWithPasswordRecord,
    client: ClientInfo,
    endSessionId: string | null,
    deviceId: string | null,
  ): Promise<{ session: IssuedSession; device: IssuedSession } | null> {
    const now = this.deps.clock.now();
    const { token, session } = issueSession(user, client, now, this.deps.sessionPolicy);
    const device = issueTrustedDevice(user.id, now, this.deps.devicePolicy);
    const created = await this.deps.repo.createSession({
      session,
      endSessionId,
      maxPerUser: this.deps.sessionPolicy.maxPerUser,
      device: { row: device.device, replacesId: deviceId, maxPerUser: this.deps.devicePolicy.maxPerUser },
    });
    if (created === null) return null;
    return { session: { token, expiresAt: session.expiresAt }, device: { token: device.token, expiresAt: device.device.expiresAt } };
  }
}
