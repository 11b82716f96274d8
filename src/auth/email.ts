import { InvalidInputError } from './errors.ts';

const MAX_EMAIL_LENGTH = 254; // RFC 5321 path limit
const MAX_LOCAL_PART_LENGTH = 64;
// Deliberately plain: one @, no spaces or quotes, a dotted domain of letters, digits and hyphens.
const EMAIL_PATTERN = /^[^\s@"<>()[\],;:\\]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,63}$/u;

/** Trims and lower-cases (API.md), so one mailbox has one account whatever its spelling. */
export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length === 0) throw new InvalidInputError('email', 'Email is required.');
  if (email.length > MAX_EMAIL_LENGTH) throw new InvalidInputError('email', 'Email is too long.');
  const localPart = email.slice(0, email.lastIndexOf('@'));
  if (!EMAIL_PATTERN.test(email) || localPart.length > MAX_LOCAL_PART_LENGTH) {
    throw new InvalidInputError('email', 'Email is not a valid address.');
  }
  return email;
}
