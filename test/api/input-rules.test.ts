// SECURITY.md, "Input rules": control, format, private-use, unassigned and surrogate characters
// are refused in every string argument at the edge, before any work; emails are one account
// whatever their Unicode spelling or IDN form.
import { describe, expect, it } from 'vitest';
import { codeOf, createTestApp, type GqlResult } from '../helpers/app.ts';
import { ChangePassword, Login, Register, RequestPasswordReset, ResetPassword, RevokeSession, ada } from '../helpers/operations.ts';

function fieldOf(result: GqlResult): unknown {
  return result.errors?.[0]?.extensions?.field;
}

async function signedIn() {
  const api = await createTestApp();
  await api.gql(Register, ada);
  await api.gql(Login, ada);
  return api;
}

describe('refused characters', () => {
  it('refuses a NUL inside an email before it costs a registration slot or reaches the database', async () => {
    const api = await createTestApp({ RATE_LIMIT_REGISTER_PER_IP: '1/3600' });
    const refused = await api.gql(Register, { email: 'a\u0000b@example.com', password: ada.password });
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(fieldOf(refused)).toBe('email');
    expect(refused.errors?.[0]?.path).toEqual(['register']);
    expect(await api.prisma.user.count()).toBe(0);
    expect(api.logs.lines.filter((line) => (line.level as number) >= 50)).toEqual([]); // the client's mistake, not an error
    // The one registration this IP may make is still there: the refusal consumed no slot (and no bcrypt, which comes after it).
    const allowed = await api.gql(Register, { email: 'ab@example.com', password: ada.password });
    expect(allowed.errors).toBeUndefined();
  });

  it.each([
    ['NUL', 'correct horse\u0000battery'],
    ['a C1 control', 'correct horse\u0085battery'],
    ['a lone high surrogate', 'correct horse battery\uD800'],
    ['a lone low surrogate', '\uDC00correct horse battery'],
    ['a byte-order mark', '\uFEFFcorrect horse battery'],
    ['a zero-width space', 'correct\u200Bhorse battery'],
    ['a right-to-left override', 'correct horse \u202Ebattery'],
    ['a private-use character', 'correct horse battery\uE000'],
    ['an unassigned code point', 'correct horse battery\u0378'],
    ['a noncharacter', 'correct horse battery\uFFFE'],
  ])('refuses %s in a password on field password', async (_kind, password) => {
    const api = await createTestApp();
    const result = await api.gql(Register, { email: ada.email, password });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(fieldOf(result)).toBe('password');
    expect(await api.prisma.user.count()).toBe(0);
  });

  it('accepts letters from any script and emoji (a proper surrogate pair) in a password', async () => {
    const api = await createTestApp();
    const password = 'Ünïcødé 密码 пароль 😀🐎';
    expect((await api.gql(Register, { email: ada.email, password })).errors).toBeUndefined();
    expect((await api.gql(Login, { email: ada.email, password })).errors).toBeUndefined();
  });

  it('refuses a NUL in login, requestPasswordReset and resetPassword, naming the argument', async () => {
    const api = await createTestApp();
    const login = await api.gql(Login, { email: 'ada\u0000@example.com', password: ada.password });
    const reset = await api.gql(RequestPasswordReset, { email: 'ada@example.com\u0000' });
    const token = await api.gql(ResetPassword, { token: 'abc\u0000', newPassword: 'a new horse battery' });
    expect([login, reset, token].map((r) => [codeOf(r), fieldOf(r)])).toEqual([
      ['BAD_USER_INPUT', 'email'],
      ['BAD_USER_INPUT', 'email'],
      ['BAD_USER_INPUT', 'token'],
    ]);
  });

  it('refuses a NUL in a session id and in a current password, and the session keeps working', async () => {
    const api = await signedIn();
    const revoke = await api.gql(RevokeSession, { id: '\u0000' });
    const change = await api.gql(ChangePassword, { currentPassword: '\u0000', newPassword: 'a new horse battery' });
    expect([revoke, change].map((r) => [codeOf(r), fieldOf(r)])).toEqual([
      ['BAD_USER_INPUT', 'id'],
      ['BAD_USER_INPUT', 'currentPassword'],
    ]);
    expect((await api.gql('{ me { email } }')).data).toEqual({ me: { email: ada.email } });
  });

  it('refuses a refused character written as an escape in the document itself', async () => {
    const api = await createTestApp();
    const result = await api.gql(`mutation { register(email: "a\\u0000b@example.com", password: "${ada.password}") { id } }`);
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(fieldOf(result)).toBe('email');
    expect(await api.prisma.user.count()).toBe(0);
  });
});

describe('email normalisation', () => {
  it('makes an internationalised domain and its punycode one account', async () => {
    const api = await createTestApp();
    const first = await api.gql(Register, { email: 'ADA@BÜCHER.example', password: ada.password });
    expect(first.data?.register.email).toBe('ada@xn--bcher-kva.example');
    const second = await api.gql(Register, { email: 'ada@xn--bcher-kva.example', password: ada.password });
    expect(codeOf(second)).toBe('EMAIL_TAKEN');
    expect((await api.gql(Login, { email: 'ada@bücher.example', password: ada.password })).errors).toBeUndefined();
  });

  it('makes the composed and decomposed spellings of a local part one account (NFC)', async () => {
    const api = await createTestApp();
    expect((await api.gql(Register, { email: 'ren\u00e9@example.com', password: ada.password })).errors).toBeUndefined();
    const decomposed = await api.gql(Register, { email: 'rene\u0301@example.com', password: ada.password });
    expect(codeOf(decomposed)).toBe('EMAIL_TAKEN');
  });

  it('still refuses a domain that has no ASCII form', async () => {
    const api = await createTestApp();
    const result = await api.gql(Register, { email: 'ada@xn--zz.example', password: ada.password });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(fieldOf(result)).toBe('email');
  });
});
