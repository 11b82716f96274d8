// TOTP secrets at rest: AES-256-GCM (node:crypto) under MFA_ENCRYPTION_KEY. A leaked database
// (a backup, a replica, an SQL injection elsewhere) then yields no authenticator secret: the key
// lives only in the service's environment. Each ciphertext is stored with the id of the key that
// sealed it, so the key can be rotated: the new key seals, and the keys named in
// MFA_ENCRYPTION_KEY_PREVIOUS still open what they sealed (README, "Rotating the MFA key").
//
// The ciphertext is bound to its row (GCM's additional data, e.g. "totp:<userId>"): a secret
// copied into another user's row by someone who can write the table does not open there.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** AES-256: 32 bytes. */
export const ENCRYPTION_KEY_BYTES = 32;
/** GCM's recommended nonce size; random per message (at most a few per user, far from the 2^32 bound). */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** What is stored: base64 of nonce ‖ ciphertext ‖ tag, and the id of the key that sealed it. */
export interface SealedSecret {
  ciphertext: string;
  keyId: string;
}

/** The key id: a digest of the key, so it names the key without saying anything about it. */
export function encryptionKeyId(key: Buffer): string {
  return createHash('sha256').update('auth-api mfa key id\0').update(key).digest('hex').slice(0, 16);
}

/** A secret that no key of this service opens (unknown key id, or tampered with). */
export class UnreadableSecretError extends Error {
  constructor(reason: string) {
    super(`stored MFA secret cannot be decrypted: ${reason}`);
    this.name = 'UnreadableSecretError';
  }
}

export class SecretBox {
  readonly #current: { id: string; key: Buffer };
  readonly #keys = new Map<string, Buffer>();

  /** `current` seals and opens; each of `previous` only opens. */
  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== ENCRYPTION_KEY_BYTES) throw new Error(`an MFA encryption key must be ${ENCRYPTION_KEY_BYTES} bytes`);
      this.#keys.set(encryptionKeyId(key), key);
    }
    this.#current = { id: encryptionKeyId(current), key: current };
  }

  get currentKeyId(): string {
    return this.#current.id;
  }

  seal(plaintext: Uint8Array, boundTo: string): SealedSecret {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { ciphertext: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64'), keyId: this.#current.id };
  }

  open(sealed: SealedSecret, boundTo: string): Buffer {
    const key = this.#keys.get(sealed.keyId);
    if (key === undefined) throw new UnreadableSecretError(`key ${sealed.keyId} is not configured (MFA_ENCRYPTION_KEY_PREVIOUS?)`);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new UnreadableSecretError('too short');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new UnreadableSecretError('authentication failed');
    }
  }
}
