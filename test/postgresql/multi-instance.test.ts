// Several stateless instances behind a load balancer share one PostgreSQL database: whatever
// instance a request reaches, it sees the same accounts and sessions (API.md: "share sessions
// and limits"). Three real service processes, one database, one client moving between them.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabaseUrl, queryPostgresql } from '../helpers/db.ts';
import { errorOf } from '../helpers/errors.ts';
import { httpAgent } from '../helpers/http-agent.ts';
import { oathtoolCode } from '../helpers/oathtool.ts';
import { ConfirmTotpEnrollment, Login, Logout, Me, Register, StartTotpEnrollment, VerifyMfa, ada } from '../helpers/operations.ts';
import { startService, type RunningService } from '../helpers/service-process.ts';

const running: RunningService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** Three instances on one database, each ready (migrations checked) before the test uses it. */
async function startInstances(databaseUrl: string, env: Record<string, string> = {}): Promise<string[]> {
  const instances = await Promise.all(
    [1, 2, 3].map(async () => {
      const service = await startService({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '4', ...env });
      running.push(service);
      await service.waitForLine((l) => l.msg === 'database up to date');
      return service.url;
    }),
  );
  return instances;
}

describe('three instances on one PostgreSQL database', () => {
  it('share sessions: log in on the first, ask on the second, log out on the third', async () => {
    const [first, second, third] = await startInstances(await freshDatabaseUrl());
    const browser = httpAgent();
    await browser.gql(first!, Register, ada);

    const login = await browser.gql(first!, Login, ada);
    expect(errorOf(login)).toBeNull();
    expect((await browser.gql(second!, Me)).data?.me?.email).toBe(ada.email);

    // The cookie as it was, as another tab or a thief would still hold it.
    const cookie = browser.cookie!;
    expect((await browser.gql(third!, Logout)).data).toEqual({ logout: true });
    expect(browser.cookie).toBeNull();

    for (const instance of [first!, second!]) {
      const replay = await fetch(instance, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `session=${cookie}` },
        body: JSON.stringify({ query: '{ me { email } }' }),
      });
      expect(await replay.json()).toEqual({ data: { me: null } });
    }
  });

  it('let exactly one of concurrent registrations of one email, spread across them, win', async () => {
    const url = await freshDatabaseUrl();
    // Twelve sign-ups from one address are more than its registration budget: raised here.
    const instances = await startInstances(url, { RATE_LIMIT_REGISTER_PER_IP: '1000/3600' });
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        httpAgent().gql(instances[i % instances.length]!, Register, { email: ada.email, password: `${ada.password} ${i}` }),
      ),
    );
    const outcomes = attempts.map(errorOf);
    expect(outcomes.filter((error) => error === null)).toHaveLength(1);
    expect(outcomes.filter((error) => error !== null)).toEqual(Array(11).fill({ code: 'EMAIL_TAKEN' }));
    expect(await queryPostgresql(url, `SELECT id FROM "User" WHERE email = '${ada.email}'`)).toHaveLength(1);
  });

  it('hold rate-limit counters across instances', async () => {
    const [first, second, third] = await startInstances(await freshDatabaseUrl());
    await httpAgent().gql(first!, Register, ada);
    const wrong = { email: ada.email, password: 'not the password' };
    // Five free attempts on the account, spread over two instances…
    for (const instance of [first!, second!, first!, second!, first!]) {
      expect(errorOf(await httpAgent().gql(instance, Login, wrong))).toEqual({ code: 'INVALID_CREDENTIALS' });
    }
    // …and the third instance refuses the sixth, even with the right password.
    const refused = await httpAgent().gql(third!, Login, ada);
    expect(errorOf(refused)).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(errorOf(refused)!.retryAfter).toBeGreaterThan(0);
  });

  it('accept one TOTP code once: 20 concurrent verifyMfa spread across them start exactly one session', async () => {
    const url = await freshDatabaseUrl();
    // One key for all: a secret sealed by one instance is opened by another.
    const instances = await startInstances(url, { MFA_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    const owner = httpAgent({ allCookies: true });
    await owner.gql(instances[0]!, Register, ada);
    await owner.gql(instances[0]!, Login, ada);
    const { secret } = (await owner.gql(instances[1]!, StartTotpEnrollment, { currentPassword: ada.password })).data!.startTotpEnrollment;
    // The services run on the real clock: the code of this step confirms, the next step's (inside
    // the one-step tolerance, and later than the confirmed one) is the one replayed.
    const now = new Date();
    expect(errorOf(await owner.gql(instances[2]!, ConfirmTotpEnrollment, { code: oathtoolCode(secret, now) }))).toBeNull();
    const code = oathtoolCode(secret, new Date(now.getTime() + 30_000));

    // Twenty browsers, each past the password (one after the other: the back-off would pause
    // concurrent logins), each on its own challenge.
    const browsers = [];
    for (let i = 0; i < 20; i += 1) {
      const browser = httpAgent({ allCookies: true });
      expect(errorOf(await browser.gql(instances[i % 3]!, Login, ada))).toMatchObject({ code: 'MFA_REQUIRED' });
      browsers.push(browser);
    }
    const results = await Promise.all(browsers.map((browser, i) => browser.gql(instances[i % 3]!, VerifyMfa, { code })));
    expect(results.filter((result) => errorOf(result) === null)).toHaveLength(1);
    expect(browsers.filter((browser) => browser.cookie !== null)).toHaveLength(1);
    // The owner's session, and the one new session.
    expect(await queryPostgresql(url, 'SELECT id FROM "Session"')).toHaveLength(2);
  });
});
