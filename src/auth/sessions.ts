// Session lifetime rules, as pure functions of the clock: an absolute lifetime from login and
// an idle timeout from the last use (API.md, "Sessions and cookies").
import type { NewSession, SessionRecord, ClientInfo } from './records.ts';
import { generateToken, hashToken } from './tokens.ts';

export interface SessionPolicy {
  maxAgeMs: number;
  idleTimeoutMs: number;
  /** lastSeenAt is written at most this often, so reads do not turn into writes. */
  touchIntervalMs: number;
  maxPerUser: number;
}

/**
 * A new session's secret token (for the cookie) and the row that stores only its hash, for the
 * user's credentials as they were read when the password was checked.
 */
export function issueSession(user: { id: string; credentialVersion: number }, client: ClientInfo, now: Date, policy: SessionPolicy) {
  const token = generateToken();
  const session: NewSession = {
    userId: user.id,
    credentialVersion: user.credentialVersion,
    tokenHash: hashToken(token),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + policy.maxAgeMs),
    userAgent: truncate(client.userAgent, 512),
    ipAddress: truncate(client.ipAddress, 64),
  };
  return { token, session };
}

export function isSessionLive(session: SessionRecord, now: Date, policy: SessionPolicy): boolean {
  const t = now.getTime();
  return t < session.expiresAt.getTime() && t - session.lastSeenAt.getTime() < policy.idleTimeoutMs;
}

export function needsTouch(session: SessionRecord, now: Date, policy: SessionPolicy): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= policy.touchIntervalMs;
}

/** Sessions last seen before this instant have gone idle. */
export function idleCutoff(now: Date, policy: SessionPolicy): Date {
  return new Date(now.getTime() - policy.idleTimeoutMs);
}

function truncate(value: string | null, max: number): string | null {
  return value === null ? null : value.slice(0, max);
}
