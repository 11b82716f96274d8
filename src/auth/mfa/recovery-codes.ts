// Recovery codes: the way in when the phone is lost. Ten per set, shown once, stored only as
// hashes, each usable once (mfa-repository.ts consumes one with a conditional update).
//
// Each code is 20 characters of base32 (RFC 4648: A–Z, 2–7) in four groups of five, so 100
// random bits (API.md asks for at least 50). At 100 bits a fast hash is enough: with the table
// in hand, an attacker still has to try 2^99 codes on average per code, which no amount of
// hardware does, so SHA-256 rather than bcrypt (whose slowness guards low-entropy passwords,
// and would put ten bcrypt hashes on every regeneration and a bcrypt per attempt). The user id
// is hashed in, so one code's hash says nothing about another account's codes.
import { createHash, randomBytes } from 'node:crypto';
import { encodeBase32 } from './totp.ts';

export const RECOVERY_CODE_COUNT = 10;
const CODE_BYTES = 13; // 104 bits → 21 base32 characters, of which the first 20 (100 bits) are used
const GROUP = 5;

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = encodeBase32(randomBytes(CODE_BYTES)).slice(0, 4 * GROUP);
    return chars.match(/.{5}/g)!.join('-');
  });
}

/**
 * The code as stored and compared: upper case, without the dashes and spaces people type or
 * leave out. Null when it cannot be one of ours.
 */
export function normaliseRecoveryCode(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z2-7]{20}$/.test(compact) ? compact : null;
}

export function hashRecoveryCode(userId: string, normalised: string): string {
  return createHash('sha256').update(`recovery-code\0${userId}\0${normalised}`, 'utf8').digest('hex');
}
