// Rotating MFA_ENCRYPTION_KEY (README, "Rotating the MFA key"): with the old key in
// MFA_ENCRYPTION_KEY_PREVIOUS, secrets sealed under it still open, and each is sealed again under
// the new key when its code is next accepted; after that the old key can go. Two apps on one
// database stand for the service before and after the change of its settings.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encryptionKeyId } from '../../src/auth/mfa/secret-box.ts';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { challenged, currentCode, enrolled } from '../helpers/mfa.ts';
import { VerifyMfa } from '../helpers/operations.ts';

describe('rotating MFA_ENCRYPTION_KEY', () => {
  it('opens secrets of the previous key, seals them again under the new one, then needs only the new one', async () => {
    const DATABASE_URL = await freshDatabaseUrl();
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const before = await createTestApp({ DATABASE_URL, MFA_ENCRYPTION_KEY: oldKey.toString('base64') });
    const { secret } = await enrolled(before);
    const keyIdOf = async () => (await before.prisma.totpAuthenticator.findFirstOrThrow()).secretKeyId;
    expect(await keyIdOf()).toBe(encryptionKeyId(oldKey));

    const during = await createTestApp({
      DATABASE_URL,
      MFA_ENCRYPTION_KEY: newKey.toString('base64'),
      MFA_ENCRYPTION_KEY_PREVIOUS: oldKey.toString('base64'),
    });
    during.clock.advanceSeconds(60);
    expect(errorOf(await (await challenged(during)).gql(VerifyMfa, { code: currentCode(during, secret) }))).toBeNull();
    expect(await keyIdOf()).toBe(encryptionKeyId(newKey));

    const after = await createTestApp({ DATABASE_URL, MFA_ENCRYPTION_KEY: newKey.toString('base64') });
    after.clock.advanceSeconds(120);
    expect(errorOf(await (await challenged(after)).gql(VerifyMfa, { code: currentCode(after, secret) }))).toBeNull();
  });
});
