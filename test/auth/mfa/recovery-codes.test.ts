import { describe, expect, it } from 'vitest';
import { parseSecondFactorCode } from '../../../src/auth/mfa/code-input.ts';
import { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode } from '../../../src/auth/mfa/recovery-codes.ts';
import { InvalidInputError } from '../../../src/auth/errors.ts';

describe('recovery codes', () => {
  it('come ten at a time, each 20 base32 characters (100 bits) in groups of five, all different', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){3}$/);
    expect(new Set(codes).size).toBe(10);
  });

  it('are compared without case, dashes or spaces', () => {
    const [code] = generateRecoveryCodes();
    const typed = ` ${code!.toLowerCase().replace(/-/g, ' ')} `;
    expect(normaliseRecoveryCode(typed)).toBe(code!.replace(/-/g, ''));
    expect(normaliseRecoveryCode('ABCDE-FGHIJ-KLMNO-PQRS1')).toBeNull(); // 1 is not base32
  });

  it('hash differently for each user', () => {
    const normalised = normaliseRecoveryCode(generateRecoveryCodes()[0]!)!;
    expect(hashRecoveryCode('user-1', normalised)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode('user-1', normalised)).not.toBe(hashRecoveryCode('user-2', normalised));
  });
});

describe('parseSecondFactorCode', () => {
  it('tells a TOTP code from a recovery code by its shape', () => {
    expect(parseSecondFactorCode('123 456')).toEqual({ kind: 'totp', code: '123456' });
    expect(parseSecondFactorCode('abcde-fghij-klmno-pqrst')).toEqual({ kind: 'recovery', normalised: 'ABCDEFGHIJKLMNOPQRST' });
  });

  it('refuses anything else as input naming the field', () => {
    for (const input of ['', '12345', '1234567', 'not a code', '12345a', 'x'.repeat(100)]) {
      expect(() => parseSecondFactorCode(input)).toThrow(InvalidInputError);
    }
    expect(() => parseSecondFactorCode('nope')).toThrow(expect.objectContaining({ field: 'code' }));
  });
});
