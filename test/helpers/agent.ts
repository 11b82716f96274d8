// A client of the app through yoga.fetch with its own cookie jar, as a browser keeps one: it
// sends its cookies, stores what Set-Cookie gives and drops what Set-Cookie expires.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> | undefined;
}

/** What the agent needs of the app: yoga's fetch handler. */
interface Fetching {
  fetch(url: string, init: RequestInit): Response | Promise<Response>;
}

/**
 * `cookie` is the session cookie's value and `deviceCookie` the device cookie's, whatever their
 * names (`__Host-` in production); setting one plants it, as a thief or a stale tab would.
 * With TRUST_PROXY=1, `ip` is the address the agent appears to come from.
 */
export function createAgent(yoga: Fetching, userAgent = 'vitest-agent', ip: string | null = null) {
  const jar = new Map<string, string>();
  const nameOf = (kind: 'session' | 'device') => [...jar.keys()].find((name) => name.replace(/^__Host-/, '') === kind) ?? kind;
  const setOrDelete = (name: string, value: string | null) => (value === null ? jar.delete(name) : jar.set(name, value));
  let lastSetCookies: string[] = [];

  // A closure, not a method: `const { gql } = api` keeps working.
  async function gql<T = Record<string, unknown>, V = Record<string, unknown>>(
    document: TypedDocumentNode<T, V> | string,
    variables?: V,
  ): Promise<GqlResult<T>> {
    const query = typeof document === 'string' ? document : print(document);
    const cookieHeader = [...jar].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': userAgent,
        ...(ip === null ? {} : { 'x-forwarded-for': ip }),
        ...(cookieHeader === '' ? {} : { cookie: cookieHeader }),
      },
      body: JSON.stringify({ query, variables: variables ?? {} }),
    });
    lastSetCookies = response.headers.getSetCookie();
    for (const header of lastSetCookies) {
      const [pair] = header.split(';');
      const name = pair!.slice(0, pair!.indexOf('='));
      const value = pair!.slice(pair!.indexOf('=') + 1);
      const expired = /Expires=Thu, 01 Jan 1970/i.test(header);
      setOrDelete(name, expired || value === '' ? null : decodeURIComponent(value));
    }
    const body = (await response.json()) as { data?: T | null; errors?: GqlResult['errors'] };
    return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
  }

  return {
    gql,
    get cookie() {
      return jar.get(nameOf('session')) ?? null;
    },
    set cookie(value: string | null) {
      setOrDelete(nameOf('session'), value);
    },
    get deviceCookie() {
      return jar.get(nameOf('device')) ?? null;
    },
    set deviceCookie(value: string | null) {
      setOrDelete(nameOf('device'), value);
    },
    /** The Set-Cookie headers of the last response. */
    get lastSetCookies() {
      return lastSetCookies;
    },
  };
}

export type Agent = ReturnType<typeof createAgent>;
