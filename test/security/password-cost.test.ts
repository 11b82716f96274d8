// The bcrypt cost is a setting that grows with hardware: raising BCRYPT_COST must reach the
// stored hashes (rehashed at the next successful login), and the dummy hash that unknown emails
// are compared against must cost the same, made once at start-up inside the hashing queue.
import bcrypt from 'bcrypt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HashingQueue } from '../../src/auth/hashing-queue.ts';
import { PasswordHasher } from '../../src/auth/passwords.ts';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { Login, Register, ada } from '../helpers/operations.ts';

afterEach(() => vi.restoreAllMocks());

const storedCost = async (api: Awaited<ReturnType<typeof createTestApp>>) =>
  bcrypt.getRounds((await api.prisma.user.findUniqueOrThrow({ where: { email: ada.email } })).passwordHash);

describe('a changed BCRYPT_COST', () => {
  it('rehashes a password at the new cost on its next successful login, and the password still works', async () => {
    const databaseUrl = await freshDatabaseUrl();
    const before = await createTestApp({ DATABASE_URL: databaseUrl, BCRYPT_COST: '4' });
    await before.gql(Register, ada);
    expect(await storedCost(before)).toBe(4);

    const after = await createTestApp({ DATABASE_URL: databaseUrl, BCRYPT_COST: '5' });
    expect(errorOf(await after.gql(Login, { email: ada.email, password: 'not it' }))).toEqual({ code: 'INVALID_CREDENTIALS' });
    await after.background.drain();
    expect(await storedCost(after)).toBe(4); // a wrong password upgrades nothing
    expect((await after.gql(Login, ada)).data?.login.email).toBe(ada.email);
    await after.background.drain();
    expect(await storedCost(after)).toBe(5);
    expect((await after.agent().gql(Login, ada)).data?.login.email).toBe(ada.email);
  });
});

describe('the dummy hash for unknown emails', () => {
  it('is made by prepare(), through the hashing queue, at the configured cost', async () => {
    const queue = new HashingQueue({ concurrency: 1, maxWaitMs: 10_000, initialEstimateMs: 5 });
    const run = vi.spyOn(queue, 'run');
    const hasher = new PasswordHasher(5, queue);
    hasher.prepare();
    expect(run).toHaveBeenCalledTimes(1);
    expect(bcrypt.getRounds(await hasher.dummyHash())).toBe(5);
    expect(await hasher.verify('anything at all', null)).toBe(false);
  });

  it('is ready before the first login of an unknown email, which hashes nothing', async () => {
    const api = await createTestApp({ BCRYPT_COST: '5' });
    await api.background.drain();
    const hash = vi.spyOn(bcrypt, 'hash');
    expect(errorOf(await api.gql(Login, { email: 'nobody@example.com', password: 'whatever it is' }))).toEqual({
      code: 'INVALID_CREDENTIALS',
    });
    expect(hash).not.toHaveBeenCalled();
  });
});
