import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encryptionKeyId, SecretBox, UnreadableSecretError } from '../../../src/auth/mfa/secret-box.ts';

describe('SecretBox (AES-256-GCM)', () => {
  const secret = randomBytes(20);

  it('opens what it sealed, and the ciphertext holds neither the secret nor its hex', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal(secret, 'totp:user-1');
    expect(box.open(sealed, 'totp:user-1')).toEqual(secret);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    expect(raw.includes(secret)).toBe(false);
    expect(sealed.ciphertext).not.toContain(secret.toString('hex'));
    expect(box.seal(secret, 'totp:user-1').ciphertext).not.toBe(sealed.ciphertext); // a fresh nonce each time
  });

  it('names the key that sealed, and an old key still opens after rotation', () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const sealed = new SecretBox(oldKey).seal(secret, 'totp:user-1');
    expect(sealed.keyId).toBe(encryptionKeyId(oldKey));
    const rotated = new SecretBox(newKey, [oldKey]);
    expect(rotated.open(sealed, 'totp:user-1')).toEqual(secret);
    expect(rotated.seal(secret, 'totp:user-1').keyId).toBe(encryptionKeyId(newKey));
    expect(() => new SecretBox(newKey).open(sealed, 'totp:user-1')).toThrow(UnreadableSecretError);
  });

  it("refuses a ciphertext moved to another user's row, or altered", () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal(secret, 'totp:user-1');
    expect(() => box.open(sealed, 'totp:user-2')).toThrow(UnreadableSecretError);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    raw[14]! ^= 1;
    expect(() => box.open({ ...sealed, ciphertext: raw.toString('base64') }, 'totp:user-1')).toThrow(UnreadableSecretError);
  });

  it('takes only 32-byte keys', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
