// Opaque bearer secrets. The database keeps only their SHA-256 digest, so a leaked table yields
// no live session or reset link. Hashing uses node:crypto's synchronous createHash: WebCrypto's
// subtle.digest runs on libuv's thread pool, where it would queue behind bcrypt under load.
import { createHash, randomBytes } from 'node:crypto';

/** 32 bytes = 256 bits of entropy, base64url: matches [A-Za-z0-9_-]+ (API.md). */
const TOKEN_BYTES = 32;

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A well-formed token is 43 base64url characters; anything else cannot be one of ours. */
export function isWellFormedToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** Longer than any token of ours with room to spare; a longer argument is refused as input. */
export const MAX_TOKEN_LENGTH = 128;
