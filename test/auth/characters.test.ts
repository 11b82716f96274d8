import { describe, expect, it } from 'vitest';
import { hasRefusedCharacter } from '../../src/auth/characters.ts';

describe('hasRefusedCharacter', () => {
  it.each([
    ['NUL', '\u0000'],
    ['a C0 control', '\u001b'],
    ['DEL', '\u007f'],
    ['a C1 control', '\u0085'],
    ['a lone high surrogate', 'a\uD800'],
    ['a lone low surrogate', '\uDC00a'],
    ['a reversed pair', '\uDE00\uD83D'],
    ['a byte-order mark', '\uFEFF'],
    ['a zero-width space', '\u200B'],
    ['a bidi isolate', '\u2066'],
    ['a soft hyphen', '\u00AD'],
    ['a tag character (astral format)', '\u{E0001}'],
    ['a private-use character', '\uE000'],
    ['a supplementary private-use character', '\u{F0000}'],
    ['an unassigned code point', '\u0378'],
    ['a noncharacter', '\u{10FFFF}'],
  ])('refuses %s', (_kind, text) => {
    expect(hasRefusedCharacter(`ok ${text} ok`)).toBe(true);
  });

  it.each([
    ['ASCII with spaces and punctuation', 'correct horse, battery!'],
    ['letters with accents, composed and decomposed', 'René Rene\u0301'],
    ['other scripts', '密码 пароль كلمة'],
    ['an emoji (a proper surrogate pair)', '😀'],
    ['the empty string', ''],
  ])('accepts %s', (_kind, text) => {
    expect(hasRefusedCharacter(text)).toBe(false);
  });
});
