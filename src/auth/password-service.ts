// The password's own operations: change it while logged in, and reset it by mail.
import { passwordChangedMessage, passwordResetMessage } from '../mail/messages.ts';
import type { CredentialCheck } from './credentials.ts';
import { normaliseEmail } from './email.ts';
import { InvalidCredentialsError, InvalidInputError, InvalidTokenError } from './errors.ts';
import { assertPasswordCandidate, assertPasswordPolicy } from './passwords.ts';
import type { ClientInfo, UserRecord } from './records.ts';
import type { AuthenticatedSession, AuthServiceDeps, IssuedSession } from './service.ts';
import { issueSession } from './sessions.ts';
import { generateToken, hashToken, isWellFormedToken, MAX_TOKEN_LENGTH } from './tokens.ts';

export class PasswordService {
  constructor(
    private readonly deps: AuthServiceDeps,
    private readonly credentials: CredentialCheck,
  ) {}

  /** Ends every other session and rotates the caller's: the returned session replaces the cookie. */
  async changePassword(
    current: AuthenticatedSession,
    input: { currentPassword: string; newPassword: string },
    client: ClientInfo,
    deviceToken: string | null,
  ): Promise<IssuedSession> {
    const currentPassword = assertPasswordCandidate(input.currentPassword, 'currentPassword');
    const newPassword = assertPasswordPolicy(input.newPassword, 'newPassword', current.user.email);
    const user = await this.credentials.proveCurrentPassword({
      userId: current.user.id,
      email: current.user.email,
      password: currentPassword,
      client,
      deviceToken,
      limits: { perIp: 'changePasswordPerIp', perAccount: 'changePasswordPerAccount' },
      onFailure: () =>
        this.deps.audit.record('password-changed', client, { outcome: 'failure', reason: 'wrong-password', userId: current.user.id }),
    });
    await this.deps.hooks?.afterPasswordCheck?.('changePassword');
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
    await this.deps.limits.consume('resetRequestPerIp', client.rateLimitKey, client);
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
    await this.deps.limits.consume('resetPerIp', client.rateLimitKey, client);
    const tokenHash = hashToken(input.token);
    // Checked before hashing, so a bad token costs no bcrypt; consumed atomically below.
    const owner = isWellFormedToken(input.token) ? await this.deps.repo.findResetTokenOwner(tokenHash, this.deps.clock.now()) : null;
    if (owner === null) {
      this.deps.audit.record('password-reset', client, { outcome: 'failure', reason: 'invalid-token' });
      throw new InvalidTokenError();
    }
    const newPassword = assertPasswordPolicy(input.newPassword, 'newPassword', owner.email);
    this.credentials.assertHashingCapacity(client);
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
}
