// SECURITY.md, "Input rules": control, format, private-use, unassigned and surrogate characters
// are refused in every string argument at the edge, before any work; emails are one account
// whatever their Unicode spelling or IDN form.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { ChangePassword, Login, Register, RequestPasswordReset, ResetPassword, RevokeSession, ada } from '../helpers/operations.ts';

describe('refused characters', () => {
  it('refuses a NUL inside an email before it costs a registration slot or reaches the database', async () => {
    const api = await createTestApp({ RATE_LIMIT_REGISTER_PER_IP: '1/3600' });
    const refused = await api.gql(Register, { email: 'a\u0000b@example.com', password: ada.password });
    expect(errorOf(refused)).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });
    expect(refused.errors?.[0]?.path).toEqual(['register']);
    expect(await api.prisma.user.count()).toBe(0);
    expect(api.logs.errorLines()).toEqual([]); // the client's mistake, not an error
    // The one registration this IP may make is still there: the refusal consumed no slot (and no bcrypt, which comes after it).
    const allowed = await api.gql(Register, { email: 'ab@example.com', password: ada.password });
    expect(errorOf(allowed)).toBeNull();
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
  ])('refuses %s in a password as BAD_USER_INPUT on field password', async (_kind, password) => {
    const api = await createTestApp();
    const result = await api.gql(Register, { email: ada.email, password });
    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });
    expect(await api.prisma.user.count()).toBe(0);
  });

  it('accepts letters from any script and emoji (a proper surrogate pair) in a password', async () => {
    const api = await createTestApp();
    const password = 'Ünïcødé 密码 пароль 😀🐎';
    expect(errorOf(await api.gql(Register, { email: ada.email, password }))).toBeNull();
    expect(errorOf(await api.gql(Login, { email: ada.email, password }))).toBeNull();
  });

  it('refuses a NUL in login, requestPasswordReset and resetPassword as BAD_USER_INPUT naming the argument', async () => {
    const api = await createTestApp();
    const login = await api.gql(Login, { email: 'ada\u0000@example.com', password: ada.password });
    const reset = await api.gql(RequestPasswordReset, { email: 'ada@example.com\u0000' });
    const token = await api.gql(ResetPassword, { token: 'abc\u0000', newPassword: 'a new horse battery' });
    expect([login, reset, token].map(errorOf)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'email' },
      { code: 'BAD_USER_INPUT', field: 'email' },
      { code: 'BAD_USER_INPUT', field: 'token' },
    ]);
  });

  it('refuses a NUL in a session id and in a current password, and the session keeps working', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const revoke = await browser.gql(RevokeSession, { id: '\u0000' });
    const change = await browser.gql(ChangePassword, { currentPassword: '\u0000', newPassword: 'a new horse battery' });
    expect([revoke, change].map(errorOf)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'id' },
      { code: 'BAD_USER_INPUT', field: 'currentPassword' },
    ]);
    expect((await browser.gql('{ me { email } }')).data).toEqual({ me: { email: ada.email } });
  });

  it('refuses a NUL written as an escape in the document itself, on field email', async () => {
    const api = await createTestApp();
    const result = await api.gql(`mutation { register(email: "a\\u0000b@example.com", password: "${ada.password}") { id } }`);
    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });
    expect(await api.prisma.user.count()).toBe(0);
  });
});

describe('email normalisation', () => {
  it('makes an internationalised domain and its punycode one account', async () => {
    const api = await createTestApp();
    const first = await api.gql(Register, { email: 'ADA@BÜCHER.example', password: ada.password });
    expect(first.data?.register.email).toBe('ada@xn--bcher-kva.example');
    const second = await api.gql(Register, { email: 'ada@xn--bcher-kva.example', password: ada.password });
    expect(errorOf(second)).toEqual({ code: 'EMAIL_TAKEN' });
    expect(errorOf(await api.gql(Login, { email: 'ada@bücher.example', password: ada.password }))).toBeNull();
  });

  it('makes the composed and decomposed spellings of a local part one account (NFC)', async () => {
    const api = await createTestApp();
    expect(errorOf(await api.gql(Register, { email: 'ren\u00e9@example.com', password: ada.password }))).toBeNull();
    const decomposed = await api.gql(Register, { email: 'rene\u0301@example.com', password: ada.password });
    expect(errorOf(decomposed)).toEqual({ code: 'EMAIL_TAKEN' });
  });

  it('refuses a domain that has no ASCII form as BAD_USER_INPUT on field email', async () => {
    const api = await createTestApp();
    const result = await api.gql(Register, { email: 'ada@xn--zz.example', password: ada.password });
    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });
  });
});
