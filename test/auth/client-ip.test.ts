import { describe, expect, it } from 'vitest';
import { clientInfoOf, clientIpOf } from '../../src/http/client-info.ts';

describe('client IP', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientIpOf('10.0.0.5', '6.6.6.6', 0)).toBe('10.0.0.5');
  });

  it('is the address the trusted proxies saw, never one the client wrote', () => {
    // client forged "6.6.6.6", real client 203.0.113.7, one proxy at 10.0.0.5
    expect(clientIpOf('10.0.0.5', '6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7');
    // two proxies: 10.0.0.5 (nearest) and 10.0.0.9
    expect(clientIpOf('10.0.0.5', '6.6.6.6, 203.0.113.7, 10.0.0.9', 2)).toBe('203.0.113.7');
  });

  it('falls back to the leftmost hop when fewer hops came than proxies are trusted', () => {
    expect(clientIpOf('10.0.0.5', '203.0.113.7', 3)).toBe('203.0.113.7');
    expect(clientIpOf('10.0.0.5', null, 1)).toBe('10.0.0.5');
  });
});

describe('client IP, one spelling per address', () => {
  it.each([
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['203.0.113.7:5678', '203.0.113.7'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8::0001', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
  ])('reads %s as %s, from the socket and from X-Forwarded-For alike', (written, canonical) => {
    expect(clientIpOf(written, null, 0)).toBe(canonical);
    expect(clientIpOf('10.0.0.5', `6.6.6.6, ${written}`, 1)).toBe(canonical);
  });

  it.each([
    'unknown',
    '_hidden',
    '1.2.3',
    '010.0.0.1',
    '0x7f.0.0.1',
    '1.2.3.4.5',
    '1.2.3.4:99999',
    '[2001:db8::1]:https',
    'fe80::1%',
    '<script>',
  ])('knows no address in the hop %s', (garbage) => {
    expect(clientIpOf('10.0.0.5', garbage, 1)).toBeNull();
  });
});

describe('rate-limit key', () => {
  const infoFor = (forwardedFor: string) =>
    clientInfoOf({ request: new Request('http://localhost/graphql', { headers: { 'x-forwarded-for': forwardedFor } }) }, 1);

  it('is one per IPv6 /64, while the full address is kept for sessions and logs', () => {
    const a = infoFor('2001:db8:1:2:aaaa::1');
    const b = infoFor('2001:DB8:1:2:FFFF:1:2:3');
    expect(a.ipAddress).toBe('2001:db8:1:2:aaaa::1');
    expect(b.ipAddress).toBe('2001:db8:1:2:ffff:1:2:3');
    expect(a.rateLimitKey).toBe(b.rateLimitKey);
    expect(infoFor('2001:db8:1:3::1').rateLimitKey).not.toBe(a.rateLimitKey);
  });

  it('is the IPv4 address itself, however it was written', () => {
    const keys = ['203.0.113.7', '::ffff:203.0.113.7', '203.0.113.7:5678'].map((written) => infoFor(written).rateLimitKey);
    expect(new Set(keys).size).toBe(1);
    expect(infoFor('203.0.113.8').rateLimitKey).not.toBe(keys[0]);
  });

  it('is one shared bucket for every hop that is no address, and records none', () => {
    const junk = ['unknown', 'garbage-1', 'garbage-2', '999.1.1.1'].map(infoFor);
    expect(junk.map((info) => info.ipAddress)).toEqual([null, null, null, null]);
    expect(new Set(junk.map((info) => info.rateLimitKey)).size).toBe(1);
    expect(junk[0]!.rateLimitKey).not.toBe(infoFor('203.0.113.7').rateLimitKey);
  });
});
