import type { IncomingMessage } from 'node:http';
import type { ClientInfo } from '../auth/records.ts';
import { canonicalAddress, rateLimitKeyOf } from './client-address.ts';

/** What node:http hands graphql-yoga besides the request; absent under yoga.fetch. */
export interface ServerContext {
  req?: IncomingMessage;
}

/**
 * The client's address is the socket's, unless TRUST_PROXY says how many reverse proxies sit
 * in front: then it is the address that many hops back in X-Forwarded-For. Entries further
 * left were written by the client itself and prove nothing. The address comes back in its
 * canonical form; a hop that is no address gives null (address unknown), never its own text:
 * that text would be a new rate-limit key for every spelling of garbage.
 */
export function clientIpOf(socketAddress: string | null, forwardedFor: string | null, trustProxy: number): string | null {
  const socket = socketAddress === null ? null : canonicalAddress(socketAddress);
  if (trustProxy === 0 || forwardedFor === null) return socket;
  const hops = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const chain = [...hops, ...(socketAddress === null ? [] : [socketAddress])];
  const chosen = chain[Math.max(0, chain.length - 1 - trustProxy)];
  return chosen === undefined ? socket : canonicalAddress(chosen);
}

export function clientInfoOf(context: { request: Request } & ServerContext, trustProxy: number): ClientInfo {
  const socketAddress = context.req?.socket.remoteAddress ?? null;
  const ipAddress = clientIpOf(socketAddress, context.request.headers.get('x-forwarded-for'), trustProxy);
  return {
    ipAddress,
    rateLimitKey: rateLimitKeyOf(ipAddress),
    userAgent: context.request.headers.get('user-agent'),
  };
}
