import bcrypt from 'bcrypt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { codeOf, createTestApp, errorOf, type TestApp } from '../helpers/app.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { ChangePassword, Login, Register, RequestPasswordReset, ResetPassword, ada } from '../helpers/operations.ts';
import { RESET_MAIL, startSmtpServer } from '../helpers/smtp.ts';

const wrong = { email: ada.email, password: 'not the password' };

afterEach(() => {
  vi.restoreAllMocks();
});

async function withAccount(env: Record<string, string> = {}) {
  const api = await createTestApp({ TRUST_PROXY: '1', ...env }, { defaultLimits: true });
  await api.agent('setup', '192.0.2.200').gql(Register, ada);
  return api;
}

describe('login, per account', () => {
  it('lets 5 attempts through, then refuses even the right password, with retryAfter', async () => {
    const api = await withAccount();
    const attacker = api.agent('attacker', '198.51.100.1');
    for (let i = 0; i < 5; i += 1) expect(codeOf(await attacker.gql(Login, wrong))).toBe('INVALID_CREDENTIALS');
    const compare = vi.spyOn(bcrypt, 'compare');
    const owner = await api.agent('owner', '203.0.113.9').gql(Login, ada);
    expect(codeOf(owner)).toBe('RATE_LIMITED');
    expect(errorOf(owner)!.retryAfter!).toBeGreaterThanOrEqual(59);
    expect(errorOf(owner)!.retryAfter!).toBeLessThanOrEqual(60);
    expect(compare).not.toHaveBeenCalled();
  });

  it('limits an email without an account after exactly as many tries, with the same answer', async () => {
    const api = await withAccount();
    const agent = api.agent('attacker', '198.51.100.1');
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < 7; i += 1) {
      known.push((await agent.gql(Login, wrong)).errors);
      unknown.push((await agent.gql(Login, { email: 'nobody@example.com', password: wrong.password })).errors);
    }
    expect(unknown).toEqual(known);
    expect(known.map((errors) => (errors as Array<{ extensions: { code: string } }>)[0]!.extensions.code)).toEqual([
      ...Array(5).fill('INVALID_CREDENTIALS'),
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
  });

  it('backs off with a doubling pause, bounded, that refused attempts do not lengthen, and a success clears it', async () => {
    const api = await withAccount({ LOGIN_BACKOFF_MAX_SECONDS: '240' });
    const agent = api.agent('attacker', '198.51.100.1');
    for (let i = 0; i < 5; i += 1) await agent.gql(Login, wrong);
    const pauses: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      const refused = await agent.gql(Login, wrong);
      expect(codeOf(refused)).toBe('RATE_LIMITED');
      pauses.push(errorOf(refused)!.retryAfter!);
      api.clock.advanceSeconds(errorOf(refused)!.retryAfter! - 1);
      const early = await agent.gql(Login, wrong);
      expect(codeOf(early)).toBe('RATE_LIMITED');
      expect(errorOf(early)!.retryAfter!).toBe(1);
      api.clock.advanceSeconds(1);
      expect(codeOf(await agent.gql(Login, wrong))).toBe('INVALID_CREDENTIALS');
    }
    // 60 s after the fifth failure, then 120, 240, and never more than the bound.
    expect(pauses).toEqual([60, 120, 240, 240]);

    const refused = await agent.gql(Login, ada);
    expect(errorOf(refused)!.retryAfter!).toBe(240);
    api.clock.advanceSeconds(240);
    expect((await agent.gql(Login, ada)).errors).toBeUndefined();
    for (let i = 0; i < 5; i += 1) expect(codeOf(await agent.gql(Login, wrong))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await agent.gql(Login, wrong))).toBe('RATE_LIMITED');
  });

  it('forgets a run of failures a day after it started', async () => {
    const api = await withAccount();
    const agent = api.agent('attacker', '198.51.100.1');
    for (let i = 0; i < 4; i += 1) expect(codeOf(await agent.gql(Login, wrong))).toBe('INVALID_CREDENTIALS');
    api.clock.advanceSeconds(86_400 - 1);
    expect(codeOf(await agent.gql(Login, wrong))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await agent.gql(Login, wrong))).toBe('RATE_LIMITED');

    const later = await withAccount();
    const patient = later.agent('attacker', '198.51.100.1');
    for (let i = 0; i < 4; i += 1) await patient.gql(Login, wrong);
    later.clock.advanceSeconds(86_400);
    for (let i = 0; i < 5; i += 1) expect(codeOf(await patient.gql(Login, wrong))).toBe('INVALID_CREDENTIALS');
  });

  it('counts concurrent guesses, so a burst cannot slip past the limit', async () => {
    const api = await withAccount();
    const compare = vi.spyOn(bcrypt, 'compare');
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => api.agent('bot', `198.51.100.${i + 1}`).gql(Login, wrong)));
    expect(burst.filter((r) => codeOf(r) === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(burst.filter((r) => codeOf(r) === 'RATE_LIMITED')).toHaveLength(15);
    expect(compare).toHaveBeenCalledTimes(5);
  });
});

describe('login, per client IP', () => {
  it('refuses an address past its budget across accounts, and not another address', async () => {
    const api = await withAccount({ RATE_LIMIT_LOGIN_PER_IP: '3/600' });
    const sprayer = api.agent('sprayer', '198.51.100.7');
    for (let i = 0; i < 3; i += 1) {
      expect(codeOf(await sprayer.gql(Login, { email: `victim${i}@example.com`, password: 'Summer2026!' }))).toBe('INVALID_CREDENTIALS');
    }
    const refused = await sprayer.gql(Login, { email: 'victim9@example.com', password: 'Summer2026!' });
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(errorOf(refused)!.retryAfter!).toBe(600);
    expect((await api.agent('owner', '203.0.113.9').gql(Login, ada)).errors).toBeUndefined();
  });

  it('opens a new window when the last one has passed on the service clock, not a second before', async () => {
    const api = await withAccount({ RATE_LIMIT_LOGIN_PER_IP: '2/600' });
    const sprayer = api.agent('sprayer', '198.51.100.7');
    const spray = (i: number) => sprayer.gql(Login, { email: `victim${i}@example.com`, password: 'Summer2026!' });
    await spray(0);
    api.clock.advanceSeconds(100);
    await spray(1);
    api.clock.advanceSeconds(499);
    const refused = await spray(2);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(errorOf(refused)!.retryAfter!).toBe(1);
    api.clock.advanceSeconds(1);
    expect(codeOf(await spray(3))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await spray(4))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await spray(5))).toBe('RATE_LIMITED');
  });

  it('counts every address of one IPv6 /64 as one client', async () => {
    const api = await withAccount({ RATE_LIMIT_LOGIN_PER_IP: '2/600' });
    const spray = (ip: string, i: number) =>
      api.agent('sprayer', ip).gql(Login, { email: `victim${i}@example.com`, password: 'Summer2026!' });
    expect(codeOf(await spray('2001:db8:1:2::1', 0))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await spray('2001:db8:1:2:ffff:1:2:3', 1))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await spray('[2001:DB8:1:2::abcd]:443', 2))).toBe('RATE_LIMITED');
    expect(codeOf(await spray('2001:db8:1:3::1', 3))).toBe('INVALID_CREDENTIALS');
  });

  it('counts an IPv4 address as one client however X-Forwarded-For spells it', async () => {
    const api = await withAccount({ RATE_LIMIT_LOGIN_PER_IP: '2/600' });
    const spray = (ip: string, i: number) =>
      api.agent('sprayer', ip).gql(Login, { email: `victim${i}@example.com`, password: 'Summer2026!' });
    expect(codeOf(await spray('198.51.100.7', 0))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await spray('::ffff:198.51.100.7', 1))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await spray('198.51.100.7:5678', 2))).toBe('RATE_LIMITED');
    expect(codeOf(await spray('::FFFF:c633:6407', 3))).toBe('RATE_LIMITED');
    expect(codeOf(await spray('198.51.100.8', 4))).toBe('INVALID_CREDENTIALS');
  });

  it('uses the socket address, not X-Forwarded-For, unless TRUST_PROXY says so', async () => {
    const api = await createTestApp({ RATE_LIMIT_LOGIN_PER_IP: '2/600' }, { defaultLimits: true });
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await api.agent('forger', `198.51.100.${i}`).gql(Login, wrong));
    expect(results.map(codeOf)).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'RATE_LIMITED']);
  });
});

describe('register', () => {
  it('is limited per client IP, before any hashing', async () => {
    const api = await createTestApp({ TRUST_PROXY: '1', RATE_LIMIT_REGISTER_PER_IP: '2/3600' }, { defaultLimits: true });
    const agent = api.agent('signup-bot', '198.51.100.3');
    await agent.gql(Register, { email: 'one@example.com', password: ada.password });
    await agent.gql(Register, { email: 'two@example.com', password: ada.password });
    const hash = vi.spyOn(bcrypt, 'hash');
    const refused = await agent.gql(Register, { email: 'three@example.com', password: ada.password });
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(errorOf(refused)!.retryAfter!).toBeGreaterThan(3590);
    expect(hash).not.toHaveBeenCalled();
    expect(await api.prisma.user.count()).toBe(2);
  });
});

describe('requestPasswordReset', () => {
  it('mails one mailbox at most 3 times an hour, whoever asks', async () => {
    const smtp = await startSmtpServer();
    const api = await withAccount({ SMTP_URL: smtp.url });
    for (let i = 0; i < 3; i += 1) {
      expect((await api.agent('x', `198.51.100.${i}`).gql(RequestPasswordReset, { email: ada.email })).data).toEqual({
        requestPasswordReset: true,
      });
    }
    const refused = await api.agent('x', '198.51.100.99').gql(RequestPasswordReset, { email: ada.email });
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    await api.background.drain();
    expect(smtp.received.filter((mail) => RESET_MAIL.test(mail.subject))).toHaveLength(3);
  });

  it('is limited per client IP, the same for emails with and without an account', async () => {
    const smtp = await startSmtpServer();
    const api = await withAccount({ SMTP_URL: smtp.url, RATE_LIMIT_RESET_REQUEST_PER_IP: '2/3600' });
    const agent = api.agent('x', '198.51.100.4');
    await agent.gql(RequestPasswordReset, { email: 'a@example.com' });
    await agent.gql(RequestPasswordReset, { email: 'b@example.com' });
    const known = await agent.gql(RequestPasswordReset, { email: ada.email });
    const unknown = await agent.gql(RequestPasswordReset, { email: 'c@example.com' });
    expect(codeOf(known)).toBe('RATE_LIMITED');
    expect(unknown.errors).toEqual(known.errors);
    await api.background.drain();
    expect(smtp.received.filter((mail) => RESET_MAIL.test(mail.subject))).toHaveLength(0);
  });
});

describe('resetPassword and changePassword', () => {
  it('limits token guessing per client IP before any lookup work', async () => {
    const api = await withAccount({ RATE_LIMIT_RESET_PER_IP: '3/900' });
    const agent = api.agent('guesser', '198.51.100.5');
    for (let i = 0; i < 3; i += 1) {
      expect(codeOf(await agent.gql(ResetPassword, { token: 'A'.repeat(43), newPassword: 'a new passphrase' }))).toBe('INVALID_TOKEN');
    }
    const refused = await agent.gql(ResetPassword, { token: 'A'.repeat(43), newPassword: 'a new passphrase' });
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(errorOf(refused)!.retryAfter!).toBeGreaterThan(890);
  });

  it('limits wrong current passwords per account, whatever address they come from', async () => {
    const api = await withAccount({ RATE_LIMIT_CHANGE_PASSWORD_PER_ACCOUNT: '2/900' });
    const session = api.agent('thief', '198.51.100.6');
    await session.gql(Login, ada);
    const attempt = () => session.gql(ChangePassword, { currentPassword: 'guess guess guess', newPassword: 'a new passphrase' });
    expect(codeOf(await attempt())).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await attempt())).toBe('INVALID_CREDENTIALS');
    const compare = vi.spyOn(bcrypt, 'compare');
    expect(codeOf(await attempt())).toBe('RATE_LIMITED');
    expect(compare).not.toHaveBeenCalled();
  });

  it('limits changePassword per client IP', async () => {
    const api = await withAccount({ RATE_LIMIT_CHANGE_PASSWORD_PER_IP: '1/900' });
    const session = api.agent('x', '198.51.100.8');
    await session.gql(Login, ada);
    await session.gql(ChangePassword, { currentPassword: 'guess guess guess', newPassword: 'a new passphrase' });
    expect(codeOf(await session.gql(ChangePassword, { currentPassword: ada.password, newPassword: 'a new passphrase' }))).toBe(
      'RATE_LIMITED',
    );
  });
});

describe('counters in the database', () => {
  it('refuse an attempt they cannot count (fail closed): no password check, no session', async () => {
    const api = await withAccount();
    await api.prisma.$executeRawUnsafe('DROP TABLE "RateLimit"');
    const compare = vi.spyOn(bcrypt, 'compare');
    const owner = api.agent('owner', '203.0.113.9');
    const result = await owner.gql(Login, ada);
    expect(codeOf(result)).toBe('INTERNAL_SERVER_ERROR');
    expect(compare).not.toHaveBeenCalled();
    expect(owner.cookie).toBeNull();
    expect(await api.prisma.session.count()).toBe(0);
  });

  async function twoInstances(): Promise<[TestApp, TestApp]> {
    const DATABASE_URL = await freshDatabaseUrl();
    const env = { DATABASE_URL, TRUST_PROXY: '1' };
    return [await createTestApp(env, { defaultLimits: true }), await createTestApp(env, { defaultLimits: true })];
  }

  it('are shared by every instance on the database, and outlive a restart', async () => {
    const [first, second] = await twoInstances();
    await first.agent('setup', '192.0.2.1').gql(Register, ada);
    for (let i = 0; i < 3; i += 1) await first.agent('a', '198.51.100.1').gql(Login, wrong);
    for (let i = 0; i < 2; i += 1) await second.agent('a', '198.51.100.1').gql(Login, wrong);
    expect(codeOf(await second.agent('a', '198.51.100.1').gql(Login, ada))).toBe('RATE_LIMITED');

    // A new instance (a restart) on the same database still refuses.
    const restarted = await createTestApp({ DATABASE_URL: second.config.databaseUrl, TRUST_PROXY: '1' }, { defaultLimits: true });
    expect(codeOf(await restarted.agent('a', '198.51.100.1').gql(Login, ada))).toBe('RATE_LIMITED');
    expect(await restarted.prisma.rateLimit.count()).toBeGreaterThan(0);
  });

  it('are swept once they expire on the service clock, and not before', async () => {
    const api = await createTestApp({ TRUST_PROXY: '1' }, { defaultLimits: true });
    await api.agent('a', '198.51.100.1').gql(Login, { email: 'nobody@example.com', password: wrong.password });
    const keys = async () =>
      (await api.prisma.rateLimit.findMany({ select: { key: true }, orderBy: { key: 'asc' } })).map((row) => row.key);
    expect(await keys()).toEqual(['loginFailures:nobody@example.com', 'loginPerIp:198.51.100.1']);

    api.clock.advanceSeconds(900 - 1);
    expect((await api.housekeeping.run()).removed['rate-limit counters expired']).toBe(0);
    api.clock.advanceSeconds(1);
    expect((await api.housekeeping.run()).removed['rate-limit counters expired']).toBe(1);
    expect(await keys()).toEqual(['loginFailures:nobody@example.com']);
    api.clock.advanceSeconds(86_400);
    expect((await api.housekeeping.run()).removed['rate-limit counters expired']).toBe(1);
    expect(await keys()).toEqual([]);
  });
});
