import { describe, expect, it } from 'vitest';
import { normaliseEmail } from '../../src/auth/email.ts';
import { InvalidInputError } from '../../src/auth/errors.ts';

/** Fifteen different CJK ideographs: about 44 characters once in punycode. */
function cjkLabel(k: number): string {
  return Array.from({ length: 15 }, (_, i) => String.fromCodePoint(0x4e00 + k * 997 + i * 131)).join('');
}

describe('normaliseEmail', () => {
  it.each([
    ['  Ada@Example.COM ', 'ada@example.com'],
    ['ADA@BÜCHER.example', 'ada@xn--bcher-kva.example'],
    ['ada@xn--bcher-kva.example', 'ada@xn--bcher-kva.example'],
    ['ada@ＥＸＡＭＰＬＥ.com', 'ada@example.com'],
    ['Rene\u0301@example.com', 'ren\u00e9@example.com'],
    ['ada@пример.рф', 'ada@xn--e1afmkfd.xn--p1ai'],
  ])('normalises %j to %j', (raw, expected) => {
    expect(normaliseEmail(raw)).toBe(expected);
  });

  it.each([
    ['a NUL in the local part', 'a\u0000b@example.com'],
    ['a trailing newline', 'ada@example.com\n'],
    ['a zero-width space in the domain', 'ada@exam\u200Bple.com'],
    ['a domain with no ASCII form', 'ada@xn--zz.example'],
    ['a domain that grows past 254 characters in ASCII', `ada@${[0, 1, 2, 3, 4, 5].map(cjkLabel).join('.')}.example`],
  ])('refuses %s on field email, also when called without the GraphQL edge', (_kind, raw) => {
    expect(() => normaliseEmail(raw)).toThrow(InvalidInputError);
    expect(() => normaliseEmail(raw)).toThrow(expect.objectContaining({ field: 'email' }));
  });
});
