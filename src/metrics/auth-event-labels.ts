// The labels of auth_events_total{event,outcome}. Both come from closed sets written here, never
// from a value of the request: a label holding an email, an address, a user id or a token would
// publish it to whoever reads the metrics, and an open set of values would let a client grow the
// series without bound. Anything not listed counts as "other".
import type { AuditEvent, AuditFields } from '../auth/audit.ts';
import type { LimitName } from '../auth/rate-limit.ts';

export type EventLabel =
  | 'register'
  | 'login'
  | 'logout'
  | 'session_revoked'
  | 'logout_everywhere'
  | 'password_changed'
  | 'password_reset'
  | 'password_reset_requested'
  | 'password_hashing'
  | 'email_verified'
  | 'email_changed'
  | 'email_verification_requested'
  | 'email_change_requested'
  | 'account_deleted'
  | 'account_change'
  | 'admin_user_disabled'
  | 'admin_user_enabled'
  | 'admin_sessions_revoked'
  | 'admin_role_changed'
  | 'admin_user_deleted'
  | 'passkey_added'
  | 'passkey_removed'
  | 'passkey_options'
  | 'mfa_enrollment_started'
  | 'mfa_enabled'
  | 'mfa_verify'
  | 'mfa_recovery_code_used'
  | 'mfa_disabled'
  | 'mfa_recovery_codes_regenerated'
  | 'other';

export type OutcomeLabel =
  | 'success'
  | 'failure'
  | 'rate_limited'
  | 'not_found'
  | 'unknown_email'
  | 'mailed'
  | 'already_verified'
  | 'address_taken'
  | 'mfa_required'
  | 'other';

/** Every audit event has its label: a new event fails the type check until it is named here. */
const EVENT_LABELS: Record<Exclude<AuditEvent, 'rate-limited'>, EventLabel> = {
  register: 'register',
  login: 'login',
  logout: 'logout',
  'session-revoked': 'session_revoked',
  'logout-everywhere': 'logout_everywhere',
  'password-changed': 'password_changed',
  'password-reset': 'password_reset',
  'password-reset-requested': 'password_reset_requested',
  'email-verified': 'email_verified',
  'email-changed': 'email_changed',
  'email-verification-requested': 'email_verification_requested',
  'email-change-requested': 'email_change_requested',
  'account-deleted': 'account_deleted',
  'admin-user-disabled': 'admin_user_disabled',
  'admin-user-enabled': 'admin_user_enabled',
  'admin-sessions-revoked': 'admin_sessions_revoked',
  'admin-role-changed': 'admin_role_changed',
  'admin-user-deleted': 'admin_user_deleted',
  'passkey-added': 'passkey_added',
  'passkey-removed': 'passkey_removed',
  'mfa-enrollment-started': 'mfa_enrollment_started',
  'mfa-enabled': 'mfa_enabled',
  'mfa-verify': 'mfa_verify',
  'mfa-recovery-code-used': 'mfa_recovery_code_used',
  'mfa-disabled': 'mfa_disabled',
  'mfa-recovery-codes-regenerated': 'mfa_recovery_codes_regenerated',
};

/** A refusal by a limit counts against the operation the limit guards. */
const LIMIT_EVENT_LABELS: Record<LimitName | 'hashingCapacity' | 'secondFactorLock', EventLabel> = {
  loginPerIp: 'login',
  loginPerAccount: 'login',
  loginBackoff: 'login',
  deviceBackoff: 'login',
  registerPerIp: 'register',
  resetRequestPerIp: 'password_reset_requested',
  resetRequestPerEmail: 'password_reset_requested',
  resetPerIp: 'password_reset',
  resetPerAccount: 'password_reset',
  changePasswordPerIp: 'password_changed',
  changePasswordPerAccount: 'password_changed',
  verificationRequestPerIp: 'email_verification_requested',
  verificationRequestPerEmail: 'email_verification_requested',
  verifyEmailPerIp: 'email_verified',
  // changeEmail and deleteAccount share these limits (both ask for the password).
  accountChangePerIp: 'account_change',
  accountChangePerAccount: 'account_change',
  passkeyOptionsPerIp: 'passkey_options',
  // A passkey login is a login (its audit line says `method: passkey`).
  passkeyLoginPerIp: 'login',
  // Every second-factor code is checked under this one (and the account's lock, below).
  verifyMfaPerIp: 'mfa_verify',
  // 10 wrong codes in a row on one account (auth/mfa/code-lock.ts).
  secondFactorLock: 'mfa_verify',
  // Shedding (auth/credentials.ts) does not say which operation it refused.
  hashingCapacity: 'password_hashing',
};

const OUTCOME_LABELS: Readonly<Record<string, OutcomeLabel>> = {
  success: 'success',
  failure: 'failure',
  refused: 'rate_limited',
  'not-found': 'not_found',
  'unknown-email': 'unknown_email',
  mailed: 'mailed',
  'already-verified': 'already_verified',
  'address-taken': 'address_taken',
  // login's first step on an account with a second factor (auth/mfa/).
  'mfa-required': 'mfa_required',
};

export interface AuthEventLabels {
  event: EventLabel;
  outcome: OutcomeLabel;
}

function ownValue<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

export function authEventLabels(event: AuditEvent, fields: AuditFields): AuthEventLabels {
  if (event === 'rate-limited') {
    return { event: ownValue(LIMIT_EVENT_LABELS, fields.limit) ?? 'other', outcome: 'rate_limited' };
  }
  return {
    event: ownValue(EVENT_LABELS, event) ?? 'other',
    outcome: ownValue(OUTCOME_LABELS, fields.outcome) ?? 'other',
  };
}

/** How many attempts one record stands for: a shedding record sums the refusals since the last one. */
export function authEventCount(event: AuditEvent, fields: AuditFields): number {
  return event === 'rate-limited' && fields.count !== undefined && fields.count > 0 ? fields.count : 1;
}

/**
 * The series that exist from start-up at 0, so that rate() and alerts on them work before the
 * first such event (a series that appears later has no earlier sample to compare with).
 */
export const INITIAL_AUTH_EVENT_LABELS: readonly AuthEventLabels[] = [
  { event: 'register', outcome: 'success' },
  { event: 'register', outcome: 'rate_limited' },
  { event: 'login', outcome: 'success' },
  { event: 'login', outcome: 'failure' },
  { event: 'login', outcome: 'rate_limited' },
  { event: 'password_reset_requested', outcome: 'mailed' },
  { event: 'password_reset_requested', outcome: 'unknown_email' },
  { event: 'password_reset_requested', outcome: 'rate_limited' },
  { event: 'password_reset', outcome: 'success' },
  { event: 'password_reset', outcome: 'failure' },
  { event: 'password_reset', outcome: 'rate_limited' },
  { event: 'password_changed', outcome: 'success' },
  { event: 'password_changed', outcome: 'failure' },
  { event: 'password_hashing', outcome: 'rate_limited' },
  { event: 'email_verified', outcome: 'success' },
  { event: 'email_verified', outcome: 'failure' },
];
