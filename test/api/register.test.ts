import { describe, expect, it } from 'vitest';
import { codeOf, createTestApp } from '../helpers/app.ts';
import { Login, Register, ada } from '../helpers/operations.ts';

const fieldOf = (result: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => result.errors?.[0]?.extensions?.field;

describe('register', () => {
  it('creates the account with the email trimmed and lower-cased, and starts no session', async () => {
    const api = await createTestApp();
    const result = await api.gql(Register, { email: '  Ada@Example.COM ', password: ada.password });
    expect(result.errors).toBeUndefined();
    expect(result.data?.register).toMatchObject({ email: 'ada@example.com', id: expect.any(String), createdAt: api.clock.now().toISOString() });
    expect(result.headers.getSetCookie()).toEqual([]);
    expect(await api.prisma.user.count()).toBe(1);
  });

  it('stores a bcrypt hash, never the password', async () => {
    const api = await createTestApp();
    await api.gql(Register, ada);
    const row = await api.prisma.user.findUniqueOrThrow({ where: { email: ada.email } });
    expect(row.passwordHash).toMatch(/^\$2b\$04\$/);
    expect(JSON.stringify(row)).not.toContain(ada.password);
  });

  it('answers EMAIL_TAKEN for an email that differs only in case and spaces', async () => {
    const api = await createTestApp();
    await api.gql(Register, ada);
    const again = await api.gql(Register, { email: ' ADA@example.com', password: 'another password' });
    expect(codeOf(again)).toBe('EMAIL_TAKEN');
    expect(again.data).toBeNull();
    expect(await api.prisma.user.count()).toBe(1);
  });

  it('ends concurrent registrations of one email with exactly one account', async () => {
    const api = await createTestApp();
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api.agent().gql(Register, { email: i % 2 ? 'Ada@example.com' : 'ada@example.com ', password: ada.password })),
    );
    expect(attempts.filter((a) => a.errors === undefined)).toHaveLength(1);
    expect(attempts.filter((a) => codeOf(a) === 'EMAIL_TAKEN')).toHaveLength(11);
    expect(await api.prisma.user.count()).toBe(1);
  });

  it.each([
    ['', 'empty'],
    ['ada', 'no @'],
    ['ada@', 'no domain'],
    ['ada@example', 'no dot in the domain'],
    ['ada smith@example.com', 'a space inside'],
    [`${'a'.repeat(250)}@example.com`, 'over 254 characters'],
  ])('refuses the email %j (%s) as BAD_USER_INPUT on field email', async (email) => {
    const api = await createTestApp();
    const result = await api.gql(Register, { email, password: ada.password });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(fieldOf(result)).toBe('email');
    expect(await api.prisma.user.count()).toBe(0);
  });

  it.each([
    [7, false],
    [8, true],
    [256, true],
    [257, false],
  ])('a password of %i characters is accepted: %s', async (length, accepted) => {
    const api = await createTestApp();
    const password = 'p'.repeat(length);
    const result = await api.gql(Register, { email: ada.email, password });
    if (accepted) {
      expect(result.errors).toBeUndefined();
      expect((await api.gql(Login, { email: ada.email, password })).errors).toBeUndefined();
    } else {
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(fieldOf(result)).toBe('password');
      expect(result.errors?.[0]?.message).toMatch(length < 8 ? /at least 8/ : /at most 256/);
    }
  });

  it('counts characters after NFKC normalisation, not UTF-16 units', async () => {
    const api = await createTestApp();
    // Eight astral characters are sixteen UTF-16 units but eight characters: accepted.
    expect((await api.gql(Register, { email: ada.email, password: '😀'.repeat(8) })).errors).toBeUndefined();
    // Seven "ﬁ" ligatures normalise to fourteen characters: accepted.
    expect((await api.gql(Register, { email: 'bob@example.com', password: 'ﬁ'.repeat(7) })).errors).toBeUndefined();
    // …and the user can log in typing the decomposed form.
    expect((await api.gql(Login, { email: 'bob@example.com', password: 'fi'.repeat(7) })).errors).toBeUndefined();
  });
});
