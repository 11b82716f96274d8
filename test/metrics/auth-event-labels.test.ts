import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/auth/audit.ts';
import { authEventCount, authEventLabels } from '../../src/metrics/auth-event-labels.ts';

const events: AuditEvent[] = [
  'register',
  'login',
  'logout',
  'session-revoked',
  'logout-everywhere',
  'password-changed',
  'password-reset',
  'password-reset-requested',
  'rate-limited',
];
const eventLabels = [
  'register',
  'login',
  'logout',
  'session_revoked',
  'logout_everywhere',
  'password_changed',
  'password_reset',
  'password_reset_requested',
  'password_hashing',
  'other',
];
const outcomeLabels = ['success', 'failure', 'rate_limited', 'not_found', 'unknown_email', 'mailed', 'other'];

describe('auth_events_total labels', () => {
  it('name each event in snake_case and keep its outcome', () => {
    expect(authEventLabels('login', { outcome: 'failure', reason: 'wrong-password' })).toEqual({ event: 'login', outcome: 'failure' });
    expect(authEventLabels('password-reset', { outcome: 'success' })).toEqual({ event: 'password_reset', outcome: 'success' });
    expect(authEventLabels('password-reset-requested', { outcome: 'unknown-email' })).toEqual({
      event: 'password_reset_requested',
      outcome: 'unknown_email',
    });
    expect(authEventLabels('session-revoked', { outcome: 'not-found' })).toEqual({ event: 'session_revoked', outcome: 'not_found' });
  });

  it('count a refusal by a limit against the operation it guards', () => {
    expect(authEventLabels('rate-limited', { outcome: 'refused', limit: 'loginBackoff' })).toEqual({
      event: 'login',
      outcome: 'rate_limited',
    });
    expect(authEventLabels('rate-limited', { outcome: 'refused', limit: 'resetRequestPerEmail' })).toEqual({
      event: 'password_reset_requested',
      outcome: 'rate_limited',
    });
    const shed = { outcome: 'refused', limit: 'hashingCapacity', count: 7 };
    expect(authEventLabels('rate-limited', shed)).toEqual({ event: 'password_hashing', outcome: 'rate_limited' });
    expect(authEventCount('rate-limited', shed)).toBe(7);
    // A count that is not about refusals (sessions ended) is one event.
    expect(authEventCount('logout-everywhere', { outcome: 'success', count: 12 })).toBe(1);
  });

  it('come from closed sets whatever the fields hold, so no email, address, id or token becomes a label', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...events, 'constructor' as AuditEvent, '__proto__' as AuditEvent, 'ada@example.com' as AuditEvent),
        fc.oneof(fc.string(), fc.constantFrom('toString', '__proto__', 'hasOwnProperty', 'ada@example.com', '203.0.113.7')),
        fc.option(fc.oneof(fc.string(), fc.constantFrom('constructor', 'valueOf', 'loginPerIp'))),
        (event, outcome, limit) => {
          const labels = authEventLabels(event, { outcome, limit: limit ?? undefined, userId: 'cuid-of-a-user' });
          expect(eventLabels).toContain(labels.event);
          expect(outcomeLabels).toContain(labels.outcome);
        },
      ),
    );
  });
});
