// Password policy and hashing.
//
// bcrypt reads only the first 72 bytes of its input, so two long passwords sharing a prefix
// would both verify. Every password is therefore pre-hashed: NFKC-normalised, then
// HMAC-SHA-256 under a fixed, public domain key, base64-encoded (44 ASCII bytes, no NUL), and
// that is what bcrypt hashes. The HMAC key is not a secret; it separates these digests from
// plain SHA-256 ones, so unsalted SHA-256 leaks from elsewhere cannot be "shucked" against ours.
import { createHmac, randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { InputField } from './errors.ts';
import { InvalidInputError } from './errors.ts';
import type { HashingQueue } from './hashing-queue.ts';
import { isCommonPassword } from './password-blocklist.ts';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
const PREHASH_KEY = 'auth-api/bcrypt-prehash/v1';
/** NFKC can grow a string, but never past this from a password that ends up within policy. */
const MAX_RAW_LENGTH = MAX_PASSWORD_LENGTH * 18;

/** Unicode NFKC, so the same password typed on different keyboards is the same password. */
export function normalisePassword(raw: string): string {
  return raw.normalize('NFKC');
}

function lengthInCharacters(value: string): number {
  let count = 0;
  for (const _ of value) count += 1; // code points, not UTF-16 units
  return count;
}

/** Shorter local parts ("al") are too common inside passphrases to forbid. */
const MIN_LOCAL_PART_TO_FORBID = 3;

/**
 * The policy for a password being set: 8 to 256 characters after NFKC, not a common password,
 * not the account's email or its local part. Returns the normalised form.
 */
export function assertPasswordPolicy(raw: string, field: InputField, email: string | null = null): string {
  if (raw.length > MAX_RAW_LENGTH) {
    throw new InvalidInputError(field, `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
  const password = normalisePassword(raw);
  const length = lengthInCharacters(password);
  if (length < MIN_PASSWORD_LENGTH) {
    throw new InvalidInputError(field, `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new InvalidInputError(field, `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
  if (isCommonPassword(password)) {
    throw new InvalidInputError(field, 'This password is too common: it appears in lists of passwords attackers try first.');
  }
  if (email !== null && containsEmail(password, email)) {
    throw new InvalidInputError(field, 'Password must not contain your email address or its name part.');
  }
  return password;
}

function containsEmail(password: string, email: string): boolean {
  const lower = password.toLowerCase();
  const localPart = email.slice(0, email.lastIndexOf('@'));
  return lower.includes(email) || lower === localPart || (localPart.length >= MIN_LOCAL_PART_TO_FORBID && lower.includes(localPart));
}

/** A password being checked: only empty and oversized input is refused up front. */
export function assertPasswordCandidate(raw: string, field: InputField): string {
  if (raw.length === 0) throw new InvalidInputError(field, 'Password is required.');
  if (raw.length > MAX_RAW_LENGTH || lengthInCharacters(normalisePassword(raw)) > MAX_PASSWORD_LENGTH) {
    throw new InvalidInputError(field, `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
  return normalisePassword(raw);
}

function prehash(normalisedPassword: string): string {
  return createHmac('sha256', PREHASH_KEY).update(normalisedPassword, 'utf8').digest('base64');
}

export class PasswordHasher {
  #dummyHash: Promise<string> | null = null;

  constructor(
    private readonly cost: number,
    private readonly queue: HashingQueue | null = null,
  ) {}

  /** Throws HashingOverloadedError when a hash queued now could not finish in time. */
  assertCapacity(): void {
    this.queue?.assertCapacity();
  }

  hash(normalisedPassword: string): Promise<string> {
    return this.bounded(() => bcrypt.hash(prehash(normalisedPassword), this.cost));
  }

  /** A stored hash made at another cost than BCRYPT_COST's: rehash it at the next chance. */
  needsRehash(passwordHash: string): boolean {
    return bcrypt.getRounds(passwordHash) !== this.cost;
  }

  /**
   * Compares against the stored hash, or, when there is none (unknown email), against a dummy
   * hash of the same cost, so both cases take the same time (API.md: no timing tells).
   */
  async verify(normalisedPassword: string, passwordHash: string | null): Promise<boolean> {
    const against = passwordHash ?? (await this.dummyHash());
    const matches = await this.bounded(() => bcrypt.compare(prehash(normalisedPassword), against));
    return matches && passwordHash !== null;
  }

  private bounded<T>(work: () => Promise<T>): Promise<T> {
    return this.queue === null ? work() : this.queue.run(work);
  }

  /**
   * Makes the dummy hash now, at start-up (createApp), in the queue like any hash: the first
   * login of an unknown email then costs one compare, exactly like a known one.
   */
  prepare(): void {
    void this.dummyHash().catch(() => {
      this.#dummyHash = null; // shed at start-up: made again by the first login that needs it
    });
  }

  /** Hashed once, at the configured cost; it matches no password anyone knows. */
  dummyHash(): Promise<string> {
    this.#dummyHash ??= this.bounded(() => bcrypt.hash(randomBytes(32).toString('base64'), this.cost));
    return this.#dummyHash;
  }
}
