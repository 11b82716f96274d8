// TOTP as API.md fixes it (RFC 6238): HMAC-SHA-1, 6 digits, 30-second steps, the current step
// and one either side (a phone's clock a little off, a code typed as it changed). The HMAC and
// the window are otplib's; what is ours is the time, which comes from the service's Clock, and
// the step each accepted code is recorded under (replay protection, mfa-repository.ts).
import { randomBytes } from 'node:crypto';
import { generateURI, ScureBase32Plugin, verify } from 'otplib';

export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Steps accepted either side of the current one. */
export const TOTP_TOLERANCE_STEPS = 1;
/** 160 bits, the HMAC-SHA-1 key length RFC 4226 recommends. */
const SECRET_BYTES = 20;

const base32 = new ScureBase32Plugin();

export interface TotpSecret {
  /** The key itself; stored only sealed (secret-box.ts). */
  bytes: Buffer;
  /** RFC 4648 base32 without padding, as authenticator apps take it typed in. */
  base32: string;
}

export function generateTotpSecret(): TotpSecret {
  const bytes = randomBytes(SECRET_BYTES);
  return { bytes, base32: encodeBase32(bytes) };
}

export function encodeBase32(bytes: Uint8Array): string {
  return base32.encode(bytes, { padding: false });
}

/**
 * The otpauth:// URI an authenticator app scans (Google's Key Uri Format). otplib leaves out
 * parameters that equal the defaults; API.md names them all, and some apps read only what is
 * written, so they are spelled out.
 */
export function totpUri(input: { issuer: string; accountName: string; secretBase32: string }): string {
  const uri = generateURI({ issuer: input.issuer, label: input.accountName, secret: input.secretBase32 });
  return `${uri}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD_SECONDS}`;
}

/** A TOTP code as typed: six digits (the input check removes spaces first). */
export function isTotpCodeShape(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/** The time step an instant falls in. */
export function timeStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The time step `code` belongs to when it is valid at `now` and later than `afterStep` (the last
 * step this user had accepted; otplib's afterTimeStep), else null. The caller must still record
 * the step atomically: two requests may both get here with one code.
 */
export async function matchTotpStep(secret: Uint8Array, code: string, now: Date, afterStep: number): Promise<number | null> {
  const result = await verify({
    secret,
    token: code,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOTP_TOLERANCE_STEPS * TOTP_PERIOD_SECONDS,
    afterTimeStep: afterStep,
  });
  // otplib types verify() for TOTP and HOTP at once; a TOTP result carries its time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
