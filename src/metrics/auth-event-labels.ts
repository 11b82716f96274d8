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
  | 'other';

export type OutcomeLabel = 'success' | 'failure' | 'rate_limited' | 'not_found' | 'unknown_email' | 'mailed' | 'other';

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
};

/** A refusal by a limit counts against the operation the limit guards. */
const LIMIT_EVENT_LABELS: Record<LimitName | 'hashingCapacity', EventLabel> = {
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
];
