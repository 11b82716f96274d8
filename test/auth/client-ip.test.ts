import { describe, expect, it } from 'vitest';
import { clientIpOf } from '../../src/http/client-info.ts';

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
