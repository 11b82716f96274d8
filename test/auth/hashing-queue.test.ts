import bcrypt from 'bcrypt';
import { describe, expect, it } from 'vitest';
import { HashingOverloadedError, HashingQueue } from '../../src/auth/hashing-queue.ts';
import { PasswordHasher } from '../../src/auth/passwords.ts';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { Login, Register, ada } from '../helpers/operations.ts';

describe('HashingQueue', () => {
  it('runs at most `concurrency` hashes at once', async () => {
    const queue = new HashingQueue({ concurrency: 2, maxWaitMs: 60_000, initialEstimateMs: 1 });
    let running = 0;
    let peak = 0;
    const work = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await bcrypt.hash('x', 6);
      running -= 1;
    };
    await Promise.all(Array.from({ length: 8 }, () => queue.run(work)));
    expect(peak).toBe(2);
  });

  it('refuses at once what could not finish within maxWaitMs, so the queue stays bounded', async () => {
    const hashes = new PasswordHasher(10, new HashingQueue({ concurrency: 1, maxWaitMs: 2000, initialEstimateMs: 200 }));
    const storm = Array.from({ length: 100 }, () =>
      hashes.hash('a passphrase here').then(
        () => 'hashed',
        (error: unknown) => error,
      ),
    );
    const outcomes = await Promise.all(storm);
    const refused = outcomes.filter((o) => o instanceof HashingOverloadedError) as HashingOverloadedError[];
    // 2000 ms at an assumed 200 ms per hash on one lane: 10 accepted, 90 refused without hashing.
    expect(outcomes.filter((o) => o === 'hashed')).toHaveLength(10);
    expect(refused).toHaveLength(90);
    expect(Math.min(...refused.map((e) => e.retryAfterSeconds))).toBeGreaterThanOrEqual(1);
  });

  it('learns the real pace from the hashes it runs', async () => {
    const queue = new HashingQueue({ concurrency: 1, maxWaitMs: 60_000, initialEstimateMs: 10_000 });
    for (let i = 0; i < 20; i += 1) await queue.run(() => bcrypt.hash('x', 4));
    expect(queue.averageMs).toBeLessThan(1000);
  });
});

describe('logins under overload', () => {
  it('are shed with RATE_LIMITED and retryAfter, and shed attempts do not count against the account', async () => {
    const api = await createTestApp({ BCRYPT_COST: '10', BCRYPT_CONCURRENCY: '1', BCRYPT_MAX_QUEUE_MS: '300' });
    await api.gql(Register, ada);
    const storm = await Promise.all(
      Array.from({ length: 30 }, (_, i) => api.agent(`bot${i}`).gql(Login, { email: ada.email, password: 'wrong guess here' })),
    );
    const errors = storm.map(errorOf);
    const shed = errors.filter((error) => error?.code === 'RATE_LIMITED');
    const checked = errors.filter((error) => error?.code === 'INVALID_CREDENTIALS');
    expect(shed.length).toBeGreaterThan(0);
    for (const error of shed) expect(error).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(Math.min(...shed.map((error) => error!.retryAfter!))).toBeGreaterThanOrEqual(1);
    expect(checked.length).toBeLessThanOrEqual(5); // at most the free attempts reached bcrypt
    expect(checked.length + shed.length).toBe(30);
  });
});
