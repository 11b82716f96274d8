import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/auth/errors.ts';
import { PasswordHasher, assertPasswordCandidate, assertPasswordPolicy } from '../../src/auth/passwords.ts';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(4);

  it('verifies the password it hashed, and no other', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(await hasher.verify('correct horse battery', hash)).toBe(true);
    expect(await hasher.verify('correct horse batterz', hash)).toBe(false);
  });

  it('tells apart passwords that share their first 72 bytes, even multi-byte ones', async () => {
    const prefix = 'é'.repeat(40); // 80 UTF-8 bytes
    const hash = await hasher.hash(`${prefix}a`);
    expect(await hasher.verify(`${prefix}b`, hash)).toBe(false);
    expect(await hasher.verify(`${prefix}a`, hash)).toBe(true);
  });

  it('never verifies against a missing hash, and has a dummy hash at the configured cost to compare with', async () => {
    const dummy = await hasher.dummyHash();
    expect(dummy).toMatch(/^\$2b\$04\$/);
    expect(await hasher.verify('anything at all', null)).toBe(false);
  });

  it('hashes at the configured cost', async () => {
    expect(await new PasswordHasher(5).hash('correct horse battery')).toMatch(/^\$2b\$05\$/);
  });
});

describe('password policy', () => {
  it('normalises with NFKC before counting and hashing', () => {
    expect(assertPasswordPolicy('Ⅻ'.repeat(4), 'password')).toBe('XII'.repeat(4));
  });

  it('names the field it refuses, and refuses an empty current password', () => {
    expect(() => assertPasswordPolicy('short', 'newPassword')).toThrow(expect.objectContaining({ field: 'newPassword' }));
    expect(() => assertPasswordCandidate('', 'currentPassword')).toThrow(InvalidInputError);
  });

  it('refuses a 5-million-character password as over the 256 limit', () => {
    expect(() => assertPasswordPolicy('x'.repeat(5_000_000), 'password')).toThrow(/at most 256/);
  });
});
