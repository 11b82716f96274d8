// Device cookies (OWASP Authentication Cheat Sheet, "Account lockout" / device cookies): a
// browser that logged in to an account successfully gets a long-lived cookie for it. Password
// attempts that present a valid one are counted for that device alone (rate-limit.ts,
// LoginSubject), so the account-wide back-off strangers trigger never locks the owner out.
//
// The cookie holds a random 256-bit token and the database only its SHA-256, like sessions,
// rather than an HMAC-signed value: it needs no key shared by every instance, and a device can
// be forgotten by deleting its row. Each login rotates it, so a copy taken earlier stops counting.
import type { NewTrustedDevice } from './records.ts';
import { generateToken, hashToken, isWellFormedToken } from './tokens.ts';

export interface TrustedDevicePolicy {
  maxAgeMs: number;
  /** Devices remembered per user; a login beyond it forgets the oldest. */
  maxPerUser: number;
}

export const MAX_TRUSTED_DEVICES_PER_USER = 20;

/** A new device cookie's token and the row that stores only its hash. */
export function issueTrustedDevice(userId: string, now: Date, policy: TrustedDevicePolicy) {
  const token = generateToken();
  const device: NewTrustedDevice = {
    userId,
    tokenHash: hashToken(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + policy.maxAgeMs),
  };
  return { token, device };
}

/** The hash to look a presented cookie up by, or null when it cannot be one of ours. */
export function deviceTokenHash(token: string | null): string | null {
  return token !== null && isWellFormedToken(token) ? hashToken(token) : null;
}
