// What the scale benchmark seeds, the same on both databases: `users` accounts sharing one bcrypt
// hash (computed once), five sessions each, of which 60 % can never be used again (40 % past
// their expiry, 20 % idle beyond SESSION_IDLE_TIMEOUT_SECONDS' default), as a service that has
// run for months without its sweep would hold them.
import { randomBytes } from 'node:crypto';

export const SESSIONS_PER_USER = 5;
export const SCALE_PASSWORD = 'a scale test passphrase';
export const DAY_MS = 86_400_000;

/** The k-th account's email; account 0 logs in over and over, account 1 asks `me`. */
export function scaleEmail(i: number): string {
  return `user${String(i).padStart(7, '0')}@scale.example`;
}

export type SessionKind = 'expired' | 'idle' | 'live';

/** Session k (user k / 5): 0 and 2 expired, 1 idle, 3 and 4 live. */
export function sessionKind(k: number): SessionKind {
  const slot = k % SESSIONS_PER_USER;
  return slot === 0 || slot === 2 ? 'expired' : slot === 1 ? 'idle' : 'live';
}

/** Ages in ms before `now` (negative: after), spread over an hour so the indexes see many values. */
export function sessionTimes(kind: SessionKind, k: number): { createdAgo: number; lastSeenAgo: number; expiresAgo: number } {
  const spread = (k % 3600) * 1000;
  if (kind === 'expired') return { createdAgo: 35 * DAY_MS + spread, lastSeenAgo: 31 * DAY_MS + spread, expiresAgo: 5 * DAY_MS + spread };
  if (kind === 'idle') return { createdAgo: 20 * DAY_MS + spread, lastSeenAgo: 10 * DAY_MS + spread, expiresAgo: -10 * DAY_MS + spread };
  return { createdAgo: 2 * DAY_MS + spread, lastSeenAgo: 3600_000 + spread, expiresAgo: -28 * DAY_MS + spread };
}

/** 256 random bits as hex, like the SHA-256 the service stores: the index sees random keys. */
export function randomTokenHash(): string {
  return randomBytes(32).toString('hex');
}
