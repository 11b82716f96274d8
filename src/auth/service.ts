// AuthService: one public method per operation of the contract. It holds the rules and knows
// nothing of GraphQL or HTTP: the edge hands it plain input and the client's details, and sets
// cookies from what it returns. Rate limits are checked before any bcrypt or mail.
import type { BackgroundTasks } from '../background.ts';
import type { Clock } from '../clock.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { AuditLog } from './audit.ts';
import { normaliseEmail } from './email.ts';
import type { CredentialCheck } from './credentials.ts';
import { AccountDisabledError, EmailNotVerifiedError, InvalidCredentialsError, InvalidInputError } from './errors.ts';
import { HashingOverloadedError } from './hashing-queue.ts';
import { assertPasswordCandidate, assertPasswordPolicy, type PasswordHasher } from './passwords.ts';
import type { RateLimits } from './rate-limit.ts';
import type { ClientInfo, SelectedRow, SessionRecord, UserRecord, UserWithPasswordRecord } from './records.ts';
import type { AuthRepository, SessionQuery, UserQuery } from './repository.ts';
import { startSession } from './session-starter.ts';
import { idleCutoff, isSessionLive, needsTouch, type SessionPolicy } from './sessions.ts';
import { hashToken, isWellFormedToken } from './tokens.ts';
import { deviceTokenHash, type TrustedDevicePolicy } from './trusted-devices.ts';

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
  /** After a verification token was found live, before it is used (two accounts racing for one address). */
  beforeEmailVerified?(operation: 'verifyEmail'): Promise<void>;
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

/** The right password of an account with MFA on: the challenge cookie to set, and no session (API.md). */
export interface MfaChallenged {
  mfaChallenge: IssuedSession;
}

/** What login asks of the second factor once the password is proven (auth/mfa/mfa-service.ts). */
export interface SecondFactorGate {
  /** A challenge for the second step when the user has MFA on; null otherwise. */
  challengeIfEnabled(user: { id: string; credentialVersion: number }, client: ClientInfo): Promise<IssuedSession | null>;
}

const MAX_ID_LENGTH = 64;

/** The edge derives the key (an IPv6 /64, a shared one for unknown addresses); see ClientInfo. */
function ipKey(client: ClientInfo): string {
  return client.rateLimitKey;
}

/** What login and register need of the address's lifecycle (account-service.ts). */
export interface EmailVerificationHooks {
  /** EMAIL_VERIFICATION=required: an unverified account's right password starts no session. */
  required: boolean;
  /** Mails a new account its verification link; runs after the response. */
  mailVerificationLink(user: { id: string; email: string }): Promise<void>;
}

export class AuthService {
  constructor(
    private readonly deps: AuthServiceDeps,
    private readonly credentials: CredentialCheck,
    private readonly verification: EmailVerificationHooks,
    private readonly secondFactor: SecondFactorGate | null = null,
  ) {}

  /** `query`: the client's selection of the new user (repository.ts, UserQuery). */
  async register(input: { email: string; password: string }, client: ClientInfo, query: UserQuery): Promise<SelectedRow<{ id: string }>> {
    const email = normaliseEmail(input.email);
    const password = assertPasswordPolicy(input.password, 'password', email);
    this.credentials.assertHashingCapacity(client);
    await this.deps.limits.consume('registerPerIp', ipKey(client), client);
    const passwordHash = await this.deps.passwords.hash(password);
    const user = await this.deps.repo.createUser({ email, passwordHash, now: this.deps.clock.now() }, query);
    this.deps.audit.record('register', client, { outcome: 'success', userId: user.id });
    this.deps.background.run('verification-mail', () => this.verification.mailVerificationLink({ id: user.id, email }));
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
  ): Promise<LoggedIn | MfaChallenged> {
    const email = normaliseEmail(input.email);
    const password = assertPasswordCandidate(input.password, 'password');
    // Shed under overload before anything is counted: a flood must not push accounts into back-off.
    this.credentials.assertHashingCapacity(client);
    await this.deps.limits.consume('loginPerIp', ipKey(client), client);
    const user = await this.deps.repo.findUserByEmail(email, query);
    const { subject, deviceId } = await this.credentials.attemptSubject(email, user, deviceToken);
    await this.deps.limits.consumePasswordAttempt(subject, client);
    const matches = await this.credentials.verifyOrRefund(subject, password, user?.passwordHash ?? null);
    if (user === null || !matches) {
      const reason = user === null ? 'unknown-email' : 'wrong-password';
      this.deps.audit.record('login', client, { outcome: 'failure', reason, userId: user?.id ?? null, trustedDevice: deviceId !== null });
      throw new InvalidCredentialsError();
    }
    await this.deps.hooks?.afterPasswordCheck?.('login');
    if (user.disabled) {
      // After the password, like EMAIL_NOT_VERIFIED: a wrong password still answers INVALID_CREDENTIALS.
      await this.deps.limits.passwordSucceeded(subject);
      this.deps.audit.record('login', client, { outcome: 'failure', reason: 'account-disabled', userId: user.id });
      throw new AccountDisabledError();
    }
    if (this.verification.required && !user.emailVerified) {
      // Only now, after the password: it tells nothing to someone who does not hold it (API.md).
      await this.deps.limits.passwordSucceeded(subject);
      this.deps.audit.record('login', client, { outcome: 'failure', reason: 'email-not-verified', userId: user.id });
      throw new EmailNotVerifiedError();
    }
    // Second factor (auth/mfa/): with MFA on, the proven password earns a challenge, not a session.
    const challenge = (await this.secondFactor?.challengeIfEnabled(user, client)) ?? null;
    if (challenge !== null) {
      await this.deps.limits.passwordSucceeded(subject);
      if (this.deps.passwords.needsRehash(user.passwordHash)) this.upgradePasswordHash(user, password);
      this.deps.audit.record('login', client, { outcome: 'mfa-required', userId: user.id, trustedDevice: deviceId !== null });
      return { mfaChallenge: challenge };
    }
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
   * A session for a user proven another way than by password (a passkey), under the same rules
   * as a password login's: the carried session ends, the caps hold, the browser gets a fresh
   * device cookie (replacing the one it carried when that one is this user's). Null when the
   * user's credentials changed since `user` was read.
   */
  async startSessionFor(
    user: { id: string; credentialVersion: number },
    client: ClientInfo,
    carriedSessionId: string | null,
    deviceToken: string | null,
  ): Promise<{ session: IssuedSession; device: IssuedSession } | null> {
    const tokenHash = deviceTokenHash(deviceToken);
    const device = tokenHash === null ? null : await this.deps.repo.findTrustedDevice(tokenHash, this.deps.clock.now());
    return this.startSession(user, client, carriedSessionId, device?.userId === user.id ? device.id : null);
  }

  /** Session start is shared with verifyMfa (session-starter.ts). */
  private startSession(
    user: { id: string; credentialVersion: number },
    client: ClientInfo,
    endSessionId: string | null,
    deviceId: string | null,
  ): Promise<{ session: IssuedSession; device: IssuedSession } | null> {
    return startSession(this.deps, user, client, endSessionId, deviceId);
  }
}
