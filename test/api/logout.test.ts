import { describe, expect, it } from 'vitest';
import { codeOf, createTestApp } from '../helpers/app.ts';
import { Login, Logout, Me, Register, ada } from '../helpers/operations.ts';

describe('logout', () => {
  it('ends this session in the database and clears the cookie', async () => {
    const api = await createTestApp();
    await api.gql(Register, ada);
    await api.gql(Login, ada);
    const token = api.main.cookie!;

    const result = await api.gql(Logout);
    expect(result.data).toEqual({ logout: true });
    const cleared = result.headers.getSetCookie()[0]!;
    expect(cleared).toMatch(/^session=;/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(await api.prisma.session.count()).toBe(0);

    const replay = api.agent();
    replay.cookie = token;
    expect((await replay.gql(Me)).data).toEqual({ me: null });
  });

  it('fails with UNAUTHENTICATED without a valid session', async () => {
    const api = await createTestApp();
    const result = await api.gql(Logout);
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
    expect(result.data).toBeNull();
  });

  it('fails with UNAUTHENTICATED for an expired session', async () => {
    const api = await createTestApp();
    await api.gql(Register, ada);
    await api.gql(Login, ada);
    api.clock.advanceSeconds(31 * 86400);
    expect(codeOf(await api.gql(Logout))).toBe('UNAUTHENTICATED');
  });
});
