// One address, one spelling. Per-IP limits and audit lines key on the client's address, so every
// way of writing one address must come out the same, or each spelling (IPv4-mapped IPv6, a
// port, brackets, upper case, leading zeros) is a fresh budget for whoever can choose it.
import ipaddr from 'ipaddr.js';

/**
 * An IPv6 end site is given a /64 at least (RFC 6177), and any host in it can pick a new address
 * per request: per-address budgets would be 2^64 budgets. IPv4 has no such plenty; its
 * addresses stay apart, so clients behind one NAT are not lumped with their /24.
 */
const IPV6_RATE_LIMIT_PREFIX_LENGTH = 64;

/** The one bucket of requests whose address is unknown (no socket) or unreadable. */
const UNKNOWN_ADDRESS_KEY = 'unknown';

/** `[v6]:port`, `[v6]`, `v4:port`: a proxy or load balancer may write any of these. */
function withoutPortOrBrackets(written: string): string | null {
  if (written.startsWith('[')) {
    const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(written);
    return bracketed && isPort(bracketed[2]) ? bracketed[1]! : null;
  }
  const hostAndPort = /^([^:]+):(\d{1,5})$/.exec(written);
  if (hostAndPort) return isPort(hostAndPort[2]) ? hostAndPort[1]! : null;
  return written;
}

function isPort(digits: string | undefined): boolean {
  return digits === undefined || Number(digits) <= 65535;
}

/**
 * The address in its canonical form (IPv4 dotted decimal, IPv6 as RFC 5952 writes it), or null
 * when `written` is not an address. IPv4 is read only as four decimal parts: `010.0.0.1` or
 * `1.2.3` mean different addresses to different parsers, and no proxy writes them.
 */
export function canonicalAddress(written: string): string | null {
  const host = withoutPortOrBrackets(written.trim());
  if (host === null) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return ipaddr.IPv4.parse(host).toString();
  if (!ipaddr.IPv6.isValid(host)) return null;
  const address = ipaddr.IPv6.parse(host);
  // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; they are IPv4 clients.
  if (address.isIPv4MappedAddress()) return address.toIPv4Address().toString();
  // Rebuilt from its parts to drop a zone id (%eth0): free text, meaningful on this host only.
  return new ipaddr.IPv6(address.parts).toString();
}

/** What per-IP limits count on: the IPv4 address, or the IPv6 address's /64. */
export function rateLimitKeyOf(canonical: string | null): string {
  if (canonical === null) return UNKNOWN_ADDRESS_KEY;
  if (ipaddr.IPv4.isValidFourPartDecimal(canonical)) return canonical;
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${canonical}/${IPV6_RATE_LIMIT_PREFIX_LENGTH}`);
  return `${network.toString()}/${IPV6_RATE_LIMIT_PREFIX_LENGTH}`;
}
