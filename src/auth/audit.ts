// Security events as structured log lines, so an operator can answer "who got into this
// account, from where, and what happened to it". Never a password or a token: only ids,
// the client's address and user agent, and the outcome.
import type { Logger } from '../logger.ts';
import type { ClientInfo } from './records.ts';

export type AuditEvent =
  | 'register'
  | 'login'
  | 'logout'
  | 'session-revoked'
  | 'logout-everywhere'
  | 'password-changed'
  | 'password-reset'
  | 'password-reset-requested'
  | 'rate-limited'
  | 'email-verified'
  | 'email-changed'
  | 'email-verification-requested'
  | 'email-change-requested'
  | 'account-deleted'
  | 'admin-user-disabled'
  | 'admin-user-enabled'
  | 'admin-sessions-revoked'
  | 'admin-role-changed'
  | 'admin-user-deleted'
  | 'passkey-added'
  | 'passkey-removed'
  // Second factor (auth/mfa/): never the code or the secret, only what happened.
  | 'mfa-enrollment-started'
  | 'mfa-enabled'
  | 'mfa-verify'
  | 'mfa-recovery-code-used'
  | 'mfa-disabled'
  | 'mfa-recovery-codes-regenerated';

export interface AuditFields {
  outcome: string;
  /** The account acted on. */
  userId?: string | null;
  /** The administrator who acted, for the operators' events. */
  actorId?: string;
  role?: string;
  sessionId?: string;
  reason?: string;
  limit?: string;
  retryAfterSeconds?: number;
  count?: number;
  /** The attempt presented a live device cookie of the account (counted for that device). */
  trustedDevice?: boolean;
  /** How a login proved the user, when not by password: `passkey`; for second-factor events, which kind of code: `totp` or `recovery-code`. */
  method?: string;
  /** The passkey a passkey event or login concerns (its public id). */
  passkeyId?: string;
  /** Second factor: the operation a code was checked for. */
  operation?: string;
}

/**
 * Told of every event as it is recorded (metrics count them). It receives the fields but never
 * the client: what it keeps must not identify anyone.
 */
export type AuditObserver = (event: AuditEvent, fields: AuditFields) => void;

export class AuditLog {
  constructor(
    private readonly log: Logger,
    private readonly observer: AuditObserver | null = null,
  ) {}

  record(event: AuditEvent, client: ClientInfo, fields: AuditFields): void {
    this.log.info(
      { audit: true, event, ...fields, userId: fields.userId ?? null, ip: client.ipAddress, userAgent: client.userAgent },
      `audit: ${event} ${fields.outcome}`,
    );
    this.observer?.(event, fields);
  }
}
