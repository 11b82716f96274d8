import type { IncomingMessage } from 'node:http';
import type { ClientInfo } from '../auth/records.ts';

/** What node:http hands graphql-yoga besides the request; absent under yoga.fetch. */
export interface ServerContext {
  req?: IncomingMessage;
}

/**
 * The client's address is the socket's, unless TRUST_PROXY says how many reverse proxies sit
 * in front: then it is the address that many hops back in X-Forwarded-For. Entries further
 * left were written by the client itself and prove nothing.
 */
export function clientIpOf(socketAddress: string | null, forwardedFor: string | null, trustProxy: number): string | null {
  if (trustProxy === 0 || forwardedFor === null) return socketAddress;
  const hops = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const chain = [...hops, ...(socketAddress === null ? [] : [socketAddress])];
  return chain[Math.max(0, chain.length - 1 - trustProxy)] ?? socketAddress;
}

export function clientInfoOf(context: { request: Request } & ServerContext, trustProxy: number): ClientInfo {
  const socketAddress = context.req?.socket.remoteAddress ?? null;
  return {
    ipAddress: clientIpOf(socketAddress, context.request.headers.get('x-forwarded-for'), trustProxy),
    userAgent: context.request.headers.get('user-agent'),
  };
}
