import { domainToASCII } from 'node:url';
import { REFUSED_CHARACTER_MESSAGE, hasRefusedCharacter } from './characters.ts';
import { InvalidInputError, type InputField } from './errors.ts';

const MAX_EMAIL_LENGTH = 254; // RFC 5321 path limit
const MAX_LOCAL_PART_LENGTH = 64;
// Deliberately plain: one @, no spaces or quotes, a dotted domain of letters, digits and hyphens.
const EMAIL_PATTERN = /^[^\s@"<>()[\],;:\\]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,63}$/u;

/**
 * One mailbox, one account, whatever its spelling: trimmed and lower-cased (API.md), Unicode NFC
 * (a composed "é" and "e" + combining accent are one address), and the domain in its ASCII
 * (IDNA/punycode) form, the one DNS and mail servers use, so `ADA@BÜCHER.example` and
 * `ada@xn--bcher-kva.example` are one account. Refused characters are checked here as well as
 * at the edge, since the service is also called without GraphQL (scripts, tests).
 */
export function normaliseEmail(raw: string, field: InputField = 'email'): string {
  const trimmed = raw.trim();
  if (trimmed.length === 0) throw new InvalidInputError(field, 'Email is required.');
  // Checked before any conversion, so megabytes of input cost nothing more.
  if (trimmed.length > MAX_EMAIL_LENGTH) throw new InvalidInputError(field, 'Email is too long.');
  if (hasRefusedCharacter(raw)) throw new InvalidInputError(field, `${field} ${REFUSED_CHARACTER_MESSAGE}`);
  const email = withAsciiDomain(trimmed.normalize('NFC').toLowerCase(), field);
  if (email.length > MAX_EMAIL_LENGTH) throw new InvalidInputError(field, 'Email is too long.');
  const localPart = email.slice(0, email.lastIndexOf('@'));
  if (!EMAIL_PATTERN.test(email) || localPart.length > MAX_LOCAL_PART_LENGTH) {
    throw new InvalidInputError(field, 'Email is not a valid address.');
  }
  return email;
}

/** The address with its domain as IDNA ASCII; a domain with no valid ASCII form is refused. */
function withAsciiDomain(email: string, field: InputField): string {
  const at = email.lastIndexOf('@');
  if (at < 0) throw new InvalidInputError(field, 'Email is not a valid address.');
  const domain = domainToASCII(email.slice(at + 1));
  if (domain === '') throw new InvalidInputError(field, 'Email is not a valid address.');
  return `${email.slice(0, at + 1)}${domain}`;
}
