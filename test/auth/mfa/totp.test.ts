// TOTP against an independent generator: Debian's oathtool (RFC 6238 as liboath implements it),
// so a mistake shared by otplib and our use of it cannot pass unseen.
import { describe, expect, it } from 'vitest';
import { encodeBase32, generateTotpSecret, matchTotpStep, timeStepAt, totpUri } from '../../../src/auth/mfa/totp.ts';
import { oathtoolCode } from '../../helpers/oathtool.ts';

describe('TOTP secrets', () => {
  it('are 160 random bits, base32 without padding', () => {
    const { bytes, base32 } = generateTotpSecret();
    expect(bytes).toHaveLength(20);
    expect(base32).toMatch(/^[A-Z2-7]{32}$/);
    expect(Buffer.from(base32)).not.toEqual(bytes);
    expect(generateTotpSecret().base32).not.toBe(base32);
  });

  it('encode as RFC 4648 base32 (its test vector)', () => {
    expect(encodeBase32(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
  });

  it('give an otpauth URI with issuer, account, algorithm, digits and period', () => {
    const uri = new URL(totpUri({ issuer: 'Auth API', accountName: 'ada@example.com', secretBase32: 'JBSWY3DPEHPK3PXP' }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Auth API:ada@example.com');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: 'JBSWY3DPEHPK3PXP',
      issuer: 'Auth API',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});

describe('matchTotpStep', () => {
  const at = new Date('2026-11-18T11:06:40Z');
  const { bytes, base32 } = generateTotpSecret();

  it("accepts oathtool's code for now and one step either side, and says which step it was", async () => {
    const step = timeStepAt(at);
    for (const offset of [-1, 0, 1]) {
      const code = oathtoolCode(base32, new Date(at.getTime() + offset * 30_000));
      expect(await matchTotpStep(bytes, code, at, 0)).toBe(step + offset);
    }
  });

  it('refuses a code two steps away, and a code of another secret', async () => {
    expect(await matchTotpStep(bytes, oathtoolCode(base32, new Date(at.getTime() - 60_000)), at, 0)).toBeNull();
    expect(await matchTotpStep(bytes, oathtoolCode(base32, new Date(at.getTime() + 60_000)), at, 0)).toBeNull();
    expect(await matchTotpStep(generateTotpSecret().bytes, oathtoolCode(base32, at), at, 0)).toBeNull();
  });

  it('refuses a step at or before the last one accepted (replay)', async () => {
    const code = oathtoolCode(base32, at);
    const step = timeStepAt(at);
    expect(await matchTotpStep(bytes, code, at, step - 1)).toBe(step);
    expect(await matchTotpStep(bytes, code, at, step)).toBeNull();
  });

  it('reads time only from what it is given', async () => {
    const longAgo = new Date('2001-09-09T01:46:40Z');
    expect(await matchTotpStep(bytes, oathtoolCode(base32, longAgo), longAgo, 0)).toBe(timeStepAt(longAgo));
  });
});
