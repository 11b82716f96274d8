// Rules about one user's rows that concurrent requests must not break: each write for a user
// takes that user's row lock first (auth/repository.ts), so racing requests run one after the
// other. Real concurrency, many requests at once; on PostgreSQL they arrive on separate
// connections of the pool.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { Login, Register, RequestPasswordReset, ada } from '../helpers/operations.ts';

const together = <T>(count: number, request: () => Promise<T>) => Promise.all(Array.from({ length: count }, request));

describe('one user, many requests at once', () => {
  it('leaves exactly one live reset token after 8 concurrent reset requests', async () => {
    const api = await createTestApp({ RATE_LIMIT_RESET_REQUEST_PER_EMAIL: '100/3600' });
    await api.gql(Register, ada);
    await together(8, () => api.gql(RequestPasswordReset, { email: ada.email }));
    await api.background.drain();
    expect(await api.prisma.passwordResetToken.count({ where: { usedAt: null } })).toBe(1);
  });

  it('leaves exactly MAX_SESSIONS_PER_USER sessions after 16 concurrent logins, all answered', async () => {
    const api = await createTestApp({ MAX_SESSIONS_PER_USER: '3', LOGIN_FREE_ATTEMPTS: '100', BCRYPT_CONCURRENCY: '8' });
    await api.gql(Register, ada);
    const results = await together(16, () => api.agent().gql(Login, ada));
    expect(results.map(errorOf)).toEqual(Array(16).fill(null));
    expect(await api.prisma.session.count()).toBe(3);
  });
});
