// Checking a second-factor code, the same on every path (verifyMfa, confirmTotpEnrollment,
// disableTotp, regenerateRecoveryCodes): counted against the account's lock before the check
// (code-lock.ts), INVALID_CODE for a wrong one, and a code accepted by a conditional write, so
// that it is accepted once: a TOTP code by recording its time step, a recovery code by using it
// up. A used recovery code is announced by mail.
import { recoveryCodeUsedMessage } from '../../mail/messages.ts';
import { InvalidCodeError } from '../errors.ts';
import type { ClientInfo } from '../records.ts';
import type { AuthServiceDeps } from '../service.ts';
import type { SecondFactorCode } from './code-input.ts';
import type { CodeLock } from './code-lock.ts';
import type { MfaRepository } from './mfa-repository.ts';
import { hashRecoveryCode } from './recovery-codes.ts';
import type { SecretBox } from './secret-box.ts';
import { matchTotpStep } from './totp.ts';

export interface MfaDeps {
  repo: MfaRepository;
  secrets: SecretBox;
  lock: CodeLock;
  /** The name authenticator apps show (MFA_TOTP_ISSUER). */
  issuer: string;
}

/** Additional data of a sealed TOTP secret: it opens only in its own user's row. */
export const boundTo = (userId: string) => `totp:${userId}`;

type Method = 'totp' | 'recovery-code';

export class CodeCheck {
  constructor(
    private readonly deps: Pick<AuthServiceDeps, 'clock' | 'audit' | 'background' | 'mailer'>,
    private readonly mfa: MfaDeps,
  ) {}

  /** The code proven for the user with MFA on, or INVALID_CODE (RATE_LIMITED while the account is locked). */
  async prove(userId: string, code: SecondFactorCode, client: ClientInfo, operation: string): Promise<void> {
    if (code.kind === 'totp') {
      await this.attempt(userId, client, operation, 'totp', () => this.#acceptTotp(userId, code.code));
      return;
    }
    await this.attempt(userId, client, operation, 'recovery-code', () => this.#acceptRecoveryCode(userId, code.normalised));
    this.#recoveryCodeUsed(userId, client, operation);
  }

  /**
   * One counted attempt: `accept` checks the code and, when it is right, takes it (a conditional
   * write) and answers true. Used directly by the confirmation of an enrolment, whose code
   * belongs to the pending secret.
   */
  async attempt(userId: string, client: ClientInfo, operation: string, method: Method, accept: () => Promise<boolean>): Promise<void> {
    const attempt = await this.mfa.lock.begin(userId, client);
    if (!(await accept())) {
      await this.mfa.lock.failed(userId, attempt);
      this.deps.audit.record('mfa-verify', client, { outcome: 'failure', reason: 'invalid-code', userId, operation, method });
      throw new InvalidCodeError();
    }
    await this.mfa.lock.succeeded(userId);
  }

  async #acceptTotp(userId: string, code: string): Promise<boolean> {
    const authenticator = await this.mfa.repo.findAuthenticator(userId);
    if (authenticator?.secret == null) return false;
    const secret = this.mfa.secrets.open(authenticator.secret, boundTo(userId));
    const step = await matchTotpStep(secret, code, this.deps.clock.now(), authenticator.lastUsedStep);
    if (step === null || !(await this.mfa.repo.recordTotpStep(userId, step))) return false;
    if (authenticator.secret.keyId !== this.mfa.secrets.currentKeyId) {
      // Sealed under a previous key: sealed again under the current one, so the old key can go.
      await this.mfa.repo.resealSecret(userId, authenticator.secret, this.mfa.secrets.seal(secret, boundTo(userId)));
    }
    return true;
  }

  #acceptRecoveryCode(userId: string, normalised: string): Promise<boolean> {
    return this.mfa.repo.consumeRecoveryCode(userId, hashRecoveryCode(userId, normalised), this.deps.clock.now());
  }

  #recoveryCodeUsed(userId: string, client: ClientInfo, operation: string): void {
    this.deps.audit.record('mfa-recovery-code-used', client, { outcome: 'success', userId, operation });
    const at = this.deps.clock.now();
    this.deps.background.run('recovery-code-mail', async () => {
      const [user, status] = await Promise.all([this.mfa.repo.findEmail(userId), this.mfa.repo.status(userId)]);
      if (user !== null)
        await this.deps.mailer.send(recoveryCodeUsedMessage({ to: user.email, remaining: status.recoveryCodesRemaining, at }));
    });
  }
}
