// A benchmark-style check with a generous bound: an unknown email must not answer measurably
// faster than a known one (the dummy bcrypt compare), or timing would reveal who has an account.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { Login, Register, ada } from '../helpers/operations.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('login timing', () => {
  it('is the same for an unknown email and a wrong password, within a tolerance', async () => {
    // Cost 9: each compare takes tens of milliseconds, well above the noise of a query.
    const api = await createTestApp({ BCRYPT_COST: '9', LOGIN_FREE_ATTEMPTS: '1000' });
    await api.gql(Register, ada);
    await api.gql(Login, { email: 'warm-up@example.com', password: 'warm up the dummy hash' });
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      // Interleaved, so drift in machine load falls on both alike.
      let start = performance.now();
      await api.gql(Login, { email: ada.email, password: `wrong password ${i}` });
      known.push(performance.now() - start);
      start = performance.now();
      await api.gql(Login, { email: `nobody${i}@example.com`, password: `wrong password ${i}` });
      unknown.push(performance.now() - start);
    }
    const ratio = median(unknown) / median(known);
    console.info(`login timing: known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`);
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(1.4);
  });
});
