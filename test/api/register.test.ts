import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { Login, Register, ada } from '../helpers/operations.ts';

describe('register', () => {
  it('creates the account with the email trimmed and lower-cased, and starts no session', async () => {
    const api = await createTestApp();
    const result = await api.gql(Register, { email: '  Ada@Example.COM ', password: ada.password });
    expect(errorOf(result)).toBeNull();
    expect(result.data?.register).toMatchObject({
      email: 'ada@example.com',
      id: expect.any(String),
      createdAt: api.clock.now().toISOString(),
    });
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
    expect(errorOf(again)).toEqual({ code: 'EMAIL_TAKEN' });
    expect(again.data).toBeNull();
    expect(await api.prisma.user.count()).toBe(1);
  });

  it('ends concurrent registrations of one email with exactly one account', async () => {
    const api = await createTestApp();
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api.agent().gql(Register, { email: i % 2 ? 'Ada@example.com' : 'ada@example.com ', password: ada.password }),
      ),
    );
    const outcomes = attempts.map(errorOf);
    expect(outcomes.filter((error) => error === null)).toHaveLength(1);
    expect(outcomes.filter((error) => error !== null)).toEqual(Array(11).fill({ code: 'EMAIL_TAKEN' }));
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
    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });
    expect(await api.prisma.user.count()).toBe(0);
  });

  it.each([8, 256])('accepts a password of %i characters, and logs in with it', async (length) => {
    const api = await createTestApp();
    const password = 'p'.repeat(length);
    expect(errorOf(await api.gql(Register, { email: ada.email, password }))).toBeNull();
    expect(errorOf(await api.gql(Login, { email: ada.email, password }))).toBeNull();
  });

  it.each([
    [7, /at least 8/],
    [257, /at most 256/],
  ])('refuses a password of %i characters as BAD_USER_INPUT on field password, saying %s', async (length, why) => {
    const api = await createTestApp();
    const result = await api.gql(Register, { email: ada.email, password: 'p'.repeat(length) });
    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });
    expect(result.errors?.[0]?.message).toMatch(why);
    expect(await api.prisma.user.count()).toBe(0);
  });

  it('counts characters after NFKC normalisation, not UTF-16 units', async () => {
    const api = await createTestApp();
    // Eight astral characters are sixteen UTF-16 units but eight characters: accepted.
    expect(errorOf(await api.gql(Register, { email: ada.email, password: '😀'.repeat(8) }))).toBeNull();
    // Seven "ﬁ" ligatures normalise to fourteen characters: accepted.
    expect(errorOf(await api.gql(Register, { email: 'bob@example.com', password: 'ﬁ'.repeat(7) }))).toBeNull();
    // …and the user can log in typing the decomposed form.
    expect(errorOf(await api.gql(Login, { email: 'bob@example.com', password: 'fi'.repeat(7) }))).toBeNull();
  });
});
