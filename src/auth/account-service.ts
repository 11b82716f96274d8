// The lifecycle of an account's address (API.md, "Verified email"): proving it, asking for a new
// link, moving the account to another address, and deleting the account. Every flow that starts
// from an address alone answers the same whether or not it has an account; the lookups, tokens
// and mails that would tell run after the response (the edge's afterResponse).
import { accountDeletedMessage, emailChangeRequestedMessage, verifyEmailMessage } from '../mail/messages.ts';
import type { AccountRepository } from './account-repository.ts';
import type { CredentialCheck } from './credentials.ts';
import { normaliseEmail } from './email.ts';
import { InvalidCredentialsError, InvalidInputError, InvalidTokenError } from './errors.ts';
import { assertPasswordCandidate } from './passwords.ts';
import type { ClientInfo, UserWithPasswordRecord } from './records.ts';
import type { AuthenticatedSession, AuthServiceDeps } from './service.ts';
import { generateToken, hashToken, isWellFormedToken, MAX_TOKEN_LENGTH } from './tokens.ts';

export interface VerificationPolicy {
  /** EMAIL_VERIFICATION=required: an unverified account's right password starts no session. */
  required: boolean;
  url: string;
  ttlSeconds: number;
}

export interface AccountServiceDeps extends AuthServiceDeps {
  accounts: AccountRepository;
  verification: VerificationPolicy;
}

/** Work the edge runs once the response has left (ctx.afterResponse). */
export type AfterResponse = () => Promise<void>;

export class AccountService {
  constructor(
    private readonly deps: AccountServiceDeps,
    private readonly credentials: CredentialCheck,
  ) {}

  /**
   * A new link for the account's current address (the older one is void). Nothing is mailed when
   * the account is gone; errors are the caller's to log (it runs after a response).
   */
  async mailVerificationLink(
    user: { id: string; email: string },
    target: { email: string; change: boolean } = { email: user.email, change: false },
  ): Promise<void> {
    const token = generateToken();
    const now = this.deps.clock.now();
    const { ttlSeconds, url } = this.deps.verification;
    const stored = await this.deps.accounts.replaceVerificationToken({
      userId: user.id,
      email: target.email,
      tokenHash: hashToken(token),
      now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    });
    if (!stored) return;
    await this.deps.mailer.send(verifyEmailMessage({ to: target.email, verifyUrl: url, token, ttlSeconds, change: target.change }));
  }

  /**
   * Proves the address the token was mailed to: the account's own, or the new one a changeEmail
   * asked for, which becomes the account's now (every other session ends, reset tokens are
   * void). `current` is the session the request carries, kept when it is the same user's.
   */
  async verifyEmail(input: { token: string }, client: ClientInfo, current: AuthenticatedSession | null): Promise<void> {
    if (input.token.length === 0 || input.token.length > MAX_TOKEN_LENGTH) throw new InvalidInputError('token', 'Token is not valid.');
    await this.deps.limits.consume('verifyEmailPerIp', client.rateLimitKey, client);
    const tokenHash = hashToken(input.token);
    const now = this.deps.clock.now();
    const pending = isWellFormedToken(input.token) ? await this.deps.accounts.findVerificationToken(tokenHash, now) : null;
    if (pending === null) {
      this.deps.audit.record('email-verified', client, { outcome: 'failure', reason: 'invalid-token' });
      throw new InvalidTokenError();
    }
    await this.deps.hooks?.beforeEmailVerified?.('verifyEmail');
    const keepSessionId = current !== null && current.user.id === pending.userId ? current.session.id : null;
    try {
      const verified = await this.deps.accounts.useVerificationToken({ tokenHash, now, keepSessionId });
      this.deps.audit.record(verified.changedFrom === null ? 'email-verified' : 'email-changed', client, {
        outcome: 'success',
        userId: verified.userId,
      });
    } catch (error) {
      const reason = error instanceof InvalidTokenError ? 'invalid-token' : 'email-taken';
      this.deps.audit.record('email-verified', client, { outcome: 'failure', reason, userId: pending.userId });
      throw error;
    }
  }

  /**
   * Always the same answer: the limits run now; the lookup and the mail (only to an existing,
   * unverified account) are the returned work, run after the response.
   */
  async requestEmailVerification(input: { email: string }, client: ClientInfo): Promise<AfterResponse> {
    const email = normaliseEmail(input.email);
    await this.deps.limits.consume('verificationRequestPerIp', client.rateLimitKey, client);
    await this.deps.limits.consume('verificationRequestPerEmail', email, client);
    return async () => {
      const user = await this.deps.repo.findUserByEmail(email);
      const outcome = user === null ? 'unknown-email' : user.emailVerified ? 'already-verified' : 'mailed';
      this.deps.audit.record('email-verification-requested', client, { outcome, userId: user?.id ?? null });
      if (user !== null && !user.emailVerified) await this.mailVerificationLink(user);
    };
  }

  /**
   * With the right password: a link to the new address, which changes only when it is used, and
   * a notice to the current one. Whether the new address has an account is looked up after the
   * response, so the answer and its timing are the same either way (API.md); a taken address
   * gets no mail.
   */
  async changeEmail(
    current: AuthenticatedSession,
    input: { newEmail: string; currentPassword: string },
    client: ClientInfo,
    deviceToken: string | null,
  ): Promise<AfterResponse> {
    const newEmail = normaliseEmail(input.newEmail, 'newEmail');
    const password = assertPasswordCandidate(input.currentPassword, 'currentPassword');
    if (newEmail === current.user.email) throw new InvalidInputError('newEmail', 'This is already the address of your account.');
    const user = await this.proveAccountPassword(current, password, client, deviceToken, 'email-change-requested');
    const now = this.deps.clock.now();
    return async () => {
      const taken = await this.deps.accounts.isEmailTaken(newEmail);
      this.deps.audit.record('email-change-requested', client, { outcome: taken ? 'address-taken' : 'mailed', userId: user.id });
      await this.deps.mailer.send(emailChangeRequestedMessage({ to: user.email, at: now }));
      if (!taken) await this.mailVerificationLink(user, { email: newEmail, change: true });
    };
  }

  /**
   * With the right password: the user and everything of theirs, and the counters keyed by their
   * address or id, so nothing holds the address afterwards; a notice goes to the address.
   */
  async deleteAccount(
    current: AuthenticatedSession,
    input: { currentPassword: string },
    client: ClientInfo,
    deviceToken: string | null,
  ): Promise<void> {
    const password = assertPasswordCandidate(input.currentPassword, 'currentPassword');
    const user = await this.proveAccountPassword(current, password, client, deviceToken, 'account-deleted');
    if (!(await this.deps.accounts.deleteUser({ userId: user.id, credentialVersion: user.credentialVersion }))) {
      // The password was changed or reset meanwhile: the one this request proved is not it any more.
      this.deps.audit.record('account-deleted', client, { outcome: 'failure', reason: 'credentials-changed', userId: user.id });
      throw new InvalidCredentialsError();
    }
    await this.deps.limits.forgetAccount({ email: user.email, userId: user.id });
    this.deps.audit.record('account-deleted', client, { outcome: 'success', userId: user.id });
    const at = this.deps.clock.now();
    this.deps.background.run('account-deleted-mail', () => this.deps.mailer.send(accountDeletedMessage({ to: user.email, at })));
  }

  /**
   * changeEmail and deleteAccount ask for the current password the same way, on the budgets they
   * share; a wrong one is recorded as the operation's own failed event.
   */
  private proveAccountPassword(
    current: AuthenticatedSession,
    password: string,
    client: ClientInfo,
    deviceToken: string | null,
    event: 'email-change-requested' | 'account-deleted',
  ): Promise<UserWithPasswordRecord> {
    return this.credentials.proveCurrentPassword({
      userId: current.user.id,
      email: current.user.email,
      password,
      client,
      deviceToken,
      limits: { perIp: 'accountChangePerIp', perAccount: 'accountChangePerAccount' },
      onFailure: () => this.deps.audit.record(event, client, { outcome: 'failure', reason: 'wrong-password', userId: current.user.id }),
    });
  }
}
