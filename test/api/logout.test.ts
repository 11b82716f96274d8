import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { Logout, Me } from '../helpers/operations.ts';

describe('logout', () => {
  it('ends this session in the database and clears the cookie', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const token = browser.cookie!;

    const result = await browser.gql(Logout);
    expect(result.data).toEqual({ logout: true });
    const cleared = result.headers.getSetCookie()[0]!;
    expect(cleared).toMatch(/^session=;/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(await api.prisma.session.count()).toBe(0);

    const replay = api.agent();
    replay.cookie = token;
    expect((await replay.gql(Me)).data).toEqual({ me: null });
  });

  it('answers UNAUTHENTICATED without a session, with data null', async () => {
    const api = await createTestApp();
    const result = await api.gql(Logout);
    expect(errorOf(result)).toEqual({ code: 'UNAUTHENTICATED' });
    expect(result.data).toBeNull();
  });

  it('answers UNAUTHENTICATED for a session that has expired (31 days on)', async () => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    api.clock.advanceSeconds(31 * 86400);
    expect(errorOf(await browser.gql(Logout))).toEqual({ code: 'UNAUTHENTICATED' });
  });
});
