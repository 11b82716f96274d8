// Second factor, limits (API.md): a challenge dies after 5 wrong codes; 10 wrong codes in a row
// lock the account's second step for 15 minutes, whatever the code; the per-IP window applies.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { challenged, currentCode, enrolled } from '../helpers/mfa.ts';
import { DisableTotp, VerifyMfa } from '../helpers/operations.ts';

const wrong = { code: '000000' };

describe('a challenge', () => {
  it('dies after 5 wrong codes: then UNAUTHENTICATED, even for the right code', async () => {
    const api = await createTestApp();
    const { secret } = await enrolled(api);
    const browser = await challenged(api);
    for (let i = 0; i < 5; i += 1) expect(errorOf(await browser.gql(VerifyMfa, wrong))).toEqual({ code: 'INVALID_CODE' });
    expect(errorOf(await browser.gql(VerifyMfa, { code: currentCode(api, secret) }))).toEqual({ code: 'UNAUTHENTICATED' });
    // Logging in again gives a new challenge.
    expect(errorOf(await (await challenged(api)).gql(VerifyMfa, { code: currentCode(api, secret) }))).toBeNull();
  });
});

describe('10 wrong codes in a row on one account', () => {
  it('lock the second step for 15 minutes: RATE_LIMITED with retryAfter, the right code too', async () => {
    const api = await createTestApp();
    const { secret } = await enrolled(api);
    for (const challenge of [await challenged(api), await challenged(api)]) {
      for (let i = 0; i < 5; i += 1) expect(errorOf(await challenge.gql(VerifyMfa, wrong))).toEqual({ code: 'INVALID_CODE' });
    }
    const locked = await challenged(api);
    expect(errorOf(await locked.gql(VerifyMfa, { code: currentCode(api, secret) }))).toEqual({ code: 'RATE_LIMITED', retryAfter: 900 });
    api.clock.advanceSeconds(14 * 60);
    const later = await challenged(api); // the first challenge has expired meanwhile
    expect(errorOf(await later.gql(VerifyMfa, { code: currentCode(api, secret) }))).toEqual({ code: 'RATE_LIMITED', retryAfter: 60 });
    api.clock.advanceSeconds(60);
    expect(errorOf(await (await challenged(api)).gql(VerifyMfa, { code: currentCode(api, secret) }))).toBeNull();
  });

  it('count on every path: wrong codes of a session holder lock verifyMfa too', async () => {
    const api = await createTestApp();
    const { browser, secret } = await enrolled(api);
    for (let i = 0; i < 10; i += 1) expect(errorOf(await browser.gql(DisableTotp, wrong))).toEqual({ code: 'INVALID_CODE' });
    expect(errorOf(await browser.gql(DisableTotp, { code: currentCode(api, secret) }))).toEqual({ code: 'RATE_LIMITED', retryAfter: 900 });
    expect(errorOf(await (await challenged(api)).gql(VerifyMfa, { code: currentCode(api, secret) }))).toEqual({
      code: 'RATE_LIMITED',
      retryAfter: 900,
    });
  });

  it('start afresh after a right code', async () => {
    const api = await createTestApp();
    const { secret } = await enrolled(api);
    for (let round = 0; round < 3; round += 1) {
      const browser = await challenged(api);
      for (let i = 0; i < 4; i += 1) expect(errorOf(await browser.gql(VerifyMfa, wrong))).toEqual({ code: 'INVALID_CODE' });
      expect(errorOf(await browser.gql(VerifyMfa, { code: currentCode(api, secret) }))).toBeNull();
      api.clock.advanceSeconds(30);
    }
  });
});

describe('the per-IP window (RATE_LIMIT_VERIFY_MFA_PER_IP)', () => {
  it('refuses code checks beyond it with RATE_LIMITED and retryAfter', async () => {
    const api = await createTestApp({ RATE_LIMIT_VERIFY_MFA_PER_IP: '3/600' });
    // confirmTotpEnrollment's check is the first of three; enrolled() then moves the clock 30 s.
    await enrolled(api);
    const browser = await challenged(api);
    expect(errorOf(await browser.gql(VerifyMfa, wrong))).toEqual({ code: 'INVALID_CODE' });
    expect(errorOf(await browser.gql(VerifyMfa, wrong))).toEqual({ code: 'INVALID_CODE' });
    expect(errorOf(await browser.gql(VerifyMfa, wrong))).toEqual({ code: 'RATE_LIMITED', retryAfter: 570 });
    api.clock.advanceSeconds(570);
    expect(errorOf(await (await challenged(api)).gql(VerifyMfa, wrong))).toEqual({ code: 'INVALID_CODE' });
  });
});

describe('one credential field per request', () => {
  it.each([
    ['verifyMfa', 'verifyMfa(code: "%") { id }'],
    ['confirmTotpEnrollment', 'confirmTotpEnrollment(code: "%")'],
    ['disableTotp', 'disableTotp(code: "%")'],
    ['regenerateRecoveryCodes', 'regenerateRecoveryCodes(code: "%")'],
  ])('refuses two aliased %s before either runs (400 GRAPHQL_VALIDATION_FAILED)', async (_name, field) => {
    const api = await createTestApp();
    await enrolled(api);
    const guesses = ['111111', '222222'].map((code, i) => `g${i}: ${field.replace('%', code)}`);
    const response = await (await challenged(api)).gql(`mutation { ${guesses.join(' ')} }`);
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(await api.prisma.mfaChallenge.findMany({ select: { attempts: true } })).toEqual([{ attempts: 0 }]);
  });

  it('refuses verifyMfa beside a login in one document', async () => {
    const api = await createTestApp();
    const response = await api.gql(
      'mutation { verifyMfa(code: "123456") { id } login(email: "a@example.com", password: "guess guess") { id } }',
    );
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
