// WebAuthn challenges (API.md, "Passkeys"): 32 random bytes handed to the browser, kept
// server-side with their ceremony and their owner, valid for 5 minutes and used at most once.
// The owner binds a response to whoever asked for its options: a registration to the session
// that asked, a login to the browser that asked (an HttpOnly cookie holding a random token whose
// hash is the owner). A response carrying someone else's challenge, or one already used, finds
// no row to consume and is refused.
import { randomBytes } from 'node:crypto';
import { generateToken, hashToken, isWellFormedToken } from '../tokens.ts';

export type Ceremony = 'registration' | 'login';

/** WebAuthn asks for at least 16 random bytes; 32 as for every token of ours. */
const CHALLENGE_BYTES = 32;

/** API.md: a challenge lasts 5 minutes; the options' timeout says the same to the browser. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

/**
 * Ceremonies one owner may have in flight (several tabs, a retry after a cancelled prompt). A new
 * one beyond it drops the owner's oldest, so asking for options in a loop cannot grow the table
 * past this per owner (the per-IP limit bounds the owners).
 */
export const MAX_PENDING_CHALLENGES_PER_OWNER = 10;

export interface NewChallenge {
  /** What the options carry (base64url); only its hash is stored. */
  challenge: string;
  row: { challengeHash: string; ceremony: Ceremony; owner: string; userId: string | null; createdAt: Date; expiresAt: Date };
}

export function issueChallenge(ceremony: Ceremony, owner: string, userId: string | null, now: Date): NewChallenge {
  const challenge = randomBytes(CHALLENGE_BYTES).toString('base64url');
  return {
    challenge,
    row: {
      challengeHash: hashChallenge(challenge),
      ceremony,
      owner,
      userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
    },
  };
}

/** Stored hashed like every token: a leaked table of pending challenges gives nothing to sign. */
export function hashChallenge(challenge: string): string {
  return hashToken(challenge);
}

/** A registration belongs to the session that asked for its options. */
export function sessionOwner(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * A login belongs to the browser that asked: its login-challenge cookie. A live-looking token it
 * already carries is kept, so several login ceremonies of one browser can be in flight at once.
 */
export function loginChallengeToken(carried: string | null): string {
  return carried !== null && isWellFormedToken(carried) ? carried : generateToken();
}

/** The owner of a browser's login ceremonies; null when the request carries no usable cookie. */
export function browserOwner(token: string | null): string | null {
  return token !== null && isWellFormedToken(token) ? `browser:${hashToken(token)}` : null;
}
