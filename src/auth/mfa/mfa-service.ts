// MfaService: the second factor's operations (API.md, "Second factor"): enrolment of a TOTP
// authenticator, the second step of a login, recovery codes, and turning it off. Like the other
// services it knows nothing of GraphQL or HTTP: the edge hands it the challenge cookie's token
// and sets the cookies it returns.
import { mfaChangedMessage } from '../../mail/messages.ts';
import type { CredentialCheck } from '../credentials.ts';
import { AccountDisabledError, InvalidCodeError, InvalidInputError, UnauthenticatedError } from '../errors.ts';
import { assertPasswordCandidate } from '../passwords.ts';
import type { ClientInfo } from '../records.ts';
import type { UserQuery } from '../repository.ts';
import type { AuthenticatedSession, AuthServiceDeps, IssuedSession, LoggedIn, SecondFactorGate } from '../service.ts';
import { startSession } from '../session-starter.ts';
import { generateToken, hashToken, isWellFormedToken } from '../tokens.ts';
import { deviceTokenHash } from '../trusted-devices.ts';
import { boundTo, CodeCheck, type MfaDeps } from './code-check.ts';
import { type SecondFactorCode, parseSecondFactorCode } from './code-input.ts';
import type { MfaStatus } from './mfa-repository.ts';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes.ts';
import { generateTotpSecret, matchTotpStep, totpUri } from './totp.ts';

export type { MfaDeps } from './code-check.ts';

/** API.md: a challenge lasts 5 minutes and dies after 5 wrong codes. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
export const CHALLENGE_MAX_ATTEMPTS = 5;

export interface TotpEnrollment {
  secret: string;
  uri: string;
}

export class MfaService implements SecondFactorGate {
  readonly #codes: CodeCheck;

  constructor(
    private readonly deps: AuthServiceDeps,
    private readonly credentials: CredentialCheck,
    private readonly mfa: MfaDeps,
  ) {
    this.#codes = new CodeCheck(deps, mfa);
  }

  status(userId: string): Promise<MfaStatus> {
    return this.mfa.repo.status(userId);
  }

  /** Called by login once the password is proven (service.ts). */
  async challengeIfEnabled(user: { id: string; credentialVersion: number }, _client: ClientInfo): Promise<IssuedSession | null> {
    if (!(await this.mfa.repo.isEnabled(user.id))) return null;
    const token = generateToken();
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
    await this.mfa.repo.createChallenge({
      userId: user.id,
      tokenHash: hashToken(token),
      credentialVersion: user.credentialVersion,
      now,
      expiresAt,
    });
    return { token, expiresAt };
  }

  /**
   * A new secret for the caller's authenticator app, pending until confirmTotpEnrollment proves
   * the app has it. Asks for the current password like changePassword, on the same budgets: a
   * session left open must not be enough to put a second factor of someone else's on the account.
   */
  async startTotpEnrollment(
    current: AuthenticatedSession,
    input: { currentPassword: string },
    client: ClientInfo,
    deviceToken: string | null,
  ): Promise<TotpEnrollment> {
    const currentPassword = assertPasswordCandidate(input.currentPassword, 'currentPassword');
    const userId = current.user.id;
    await this.credentials.proveCurrentPassword({
      userId,
      email: current.user.email,
      password: currentPassword,
      client,
      deviceToken,
      limits: { perIp: 'changePasswordPerIp', perAccount: 'changePasswordPerAccount' },
      onFailure: () => this.deps.audit.record('mfa-enrollment-started', client, { outcome: 'failure', reason: 'wrong-password', userId }),
    });
    const secret = generateTotpSecret();
    await this.mfa.repo.savePendingEnrollment(userId, this.mfa.secrets.seal(secret.bytes, boundTo(userId)), this.deps.clock.now());
    this.deps.audit.record('mfa-enrollment-started', client, { outcome: 'success', userId });
    return {
      secret: secret.base32,
      uri: totpUri({ issuer: this.mfa.issuer, accountName: current.user.email, secretBase32: secret.base32 }),
    };
  }

  /** The first valid code of the pending secret turns MFA on; returns the recovery codes, shown once. */
  async confirmTotpEnrollment(current: AuthenticatedSession, input: { code: string }, client: ClientInfo): Promise<string[]> {
    const code = this.#totpOnly(parseSecondFactorCode(input.code));
    const userId = current.user.id;
    await this.deps.limits.consume('verifyMfaPerIp', client.rateLimitKey, client);
    const authenticator = await this.mfa.repo.findAuthenticator(userId);
    if (authenticator?.pending == null)
      throw new InvalidInputError('code', 'There is no enrolment to confirm: start one with startTotpEnrollment.');
    const now = this.deps.clock.now();
    const codes = generateRecoveryCodes();
    const { pending } = authenticator;
    await this.#codes.attempt(userId, client, 'confirmTotpEnrollment', 'totp', async () => {
      const step = await matchTotpStep(this.mfa.secrets.open(pending, boundTo(userId)), code, now, authenticator.lastUsedStep);
      if (step === null) return false;
      const codeHashes = codes.map((c) => hashRecoveryCode(userId, c.replace(/-/g, '')));
      return this.mfa.repo.confirmEnrollment({ userId, pending, step, codeHashes, keepSessionId: current.session.id, now });
    });
    this.deps.audit.record('mfa-enabled', client, { outcome: 'success', userId });
    this.#notify('mfa-enabled-mail', mfaChangedMessage({ to: current.user.email, enabled: true, at: now }));
    return codes;
  }

  /**
   * The second step of a login: a TOTP or recovery code against the challenge the password
   * earned. Sets the session exactly as login does (session-starter.ts).
   */
  async verifyMfa(
    challengeToken: string | null,
    input: { code: string },
    client: ClientInfo,
    carried: AuthenticatedSession | null,
    deviceToken: string | null,
    query: UserQuery,
  ): Promise<LoggedIn> {
    const code = parseSecondFactorCode(input.code);
    await this.deps.limits.consume('verifyMfaPerIp', client.rateLimitKey, client);
    const now = this.deps.clock.now();
    const challenge =
      challengeToken !== null && isWellFormedToken(challengeToken)
        ? await this.mfa.repo.claimChallengeAttempt(hashToken(challengeToken), now, CHALLENGE_MAX_ATTEMPTS)
        : null;
    if (challenge === null) {
      this.deps.audit.record('mfa-verify', client, { outcome: 'failure', reason: 'no-live-challenge' });
      throw new UnauthenticatedError();
    }
    const { userId } = challenge;
    await this.#codes.prove(userId, code, client, 'verifyMfa');
    // Consumed only now, and atomically: of two right codes on one challenge, one session.
    if (!(await this.mfa.repo.consumeChallenge(challenge.id))) throw new UnauthenticatedError();
    const user = await this.mfa.repo.findUser(userId, query);
    if (user?.disabled) {
      // Only now that both factors are proven, as for a password (API.md): a stranger learns nothing.
      this.deps.audit.record('mfa-verify', client, { outcome: 'failure', reason: 'account-disabled', userId });
      throw new AccountDisabledError();
    }
    const started =
      user === null
        ? null
        : await startSession(
            this.deps,
            { id: userId, credentialVersion: challenge.credentialVersion },
            client,
            carried?.session.id ?? null,
            await this.#deviceOf(userId, deviceToken),
          );
    if (user === null || started === null) {
      // The password changed (or the account went) since it earned this challenge: log in again.
      this.deps.audit.record('mfa-verify', client, { outcome: 'failure', reason: 'credentials-changed', userId });
      throw new UnauthenticatedError();
    }
    this.deps.audit.record('mfa-verify', client, { outcome: 'success', userId, method: code.kind === 'totp' ? 'totp' : 'recovery-code' });
    return { user, ...started };
  }

  /** MFA off, with a current code (TOTP or recovery); ends the user's other sessions. */
  async disableTotp(current: AuthenticatedSession, input: { code: string }, client: ClientInfo): Promise<void> {
    const code = parseSecondFactorCode(input.code);
    const userId = current.user.id;
    await this.deps.limits.consume('verifyMfaPerIp', client.rateLimitKey, client);
    await this.#assertEnabled(userId);
    await this.#codes.prove(userId, code, client, 'disableTotp');
    await this.mfa.repo.disable(userId, current.session.id);
    const now = this.deps.clock.now();
    this.deps.audit.record('mfa-disabled', client, { outcome: 'success', userId });
    this.#notify('mfa-disabled-mail', mfaChangedMessage({ to: current.user.email, enabled: false, at: now }));
  }

  /** A new set of recovery codes for a current TOTP code (not a recovery code); the old set is void. */
  async regenerateRecoveryCodes(current: AuthenticatedSession, input: { code: string }, client: ClientInfo): Promise<string[]> {
    const code = this.#totpOnly(parseSecondFactorCode(input.code));
    const userId = current.user.id;
    await this.deps.limits.consume('verifyMfaPerIp', client.rateLimitKey, client);
    await this.#assertEnabled(userId);
    await this.#codes.prove(userId, { kind: 'totp', code }, client, 'regenerateRecoveryCodes');
    const codes = generateRecoveryCodes();
    const hashes = codes.map((c) => hashRecoveryCode(userId, c.replace(/-/g, '')));
    if (!(await this.mfa.repo.replaceRecoveryCodes(userId, hashes, this.deps.clock.now()))) throw new InvalidCodeError(); // turned off meanwhile
    this.deps.audit.record('mfa-recovery-codes-regenerated', client, { outcome: 'success', userId });
    return codes;
  }

  /** Codes asked of a user without MFA cannot be right; said as such, not counted as guesses. */
  async #assertEnabled(userId: string): Promise<void> {
    if (!(await this.mfa.repo.isEnabled(userId)))
      throw new InvalidInputError('code', 'Two-factor authentication is not on for this account.');
  }

  #totpOnly(code: SecondFactorCode): string {
    if (code.kind !== 'totp') throw new InvalidInputError('code', 'Enter the 6-digit code from the authenticator app.');
    return code.code;
  }

  /** The request's device cookie, when it is a live one of this user (login's rule, credentials.ts). */
  async #deviceOf(userId: string, deviceToken: string | null): Promise<string | null> {
    const tokenHash = deviceTokenHash(deviceToken);
    if (tokenHash === null) return null;
    const device = await this.deps.repo.findTrustedDevice(tokenHash, this.deps.clock.now());
    return device !== null && device.userId === userId ? device.id : null;
  }

  #notify(name: string, message: Parameters<AuthServiceDeps['mailer']['send']>[0]): void {
    this.deps.background.run(name, () => this.deps.mailer.send(message));
  }
}
