// Characters refused in every string a client sends (SECURITY.md, "Input rules"): Unicode general
// categories Cc (controls: NUL, C0, DEL, C1), Cf (format: BOM, zero-width, bidi overrides, soft
// hyphen), Co (private use), Cn (unassigned and noncharacters) and Cs (surrogates). None is typed
// reliably on a keyboard, and each has done harm here: PostgreSQL rejects NUL in text (an
// unexpected error after a bcrypt hash and a rate-limit slot), SQLite stores it and a mail
// transport truncates at it (`a\u0000b@example.com` became a second account whose mail went to
// `ab@example.com`), invisible ones make two spellings of one name, and a lone surrogate has no
// UTF-8 encoding, so it is silently replaced on its way to the database.
//
// With the `u` flag a regex reads a string by code points, so an unpaired surrogate half is
// seen as the code point it is (category Cs) while a proper pair is one astral character.
const REFUSED_CHARACTER = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;

export const REFUSED_CHARACTER_MESSAGE =
  'contains a character that is not allowed (a control, format, private-use, unassigned or lone surrogate code point).';

export function hasRefusedCharacter(text: string): boolean {
  return REFUSED_CHARACTER.test(text);
}
