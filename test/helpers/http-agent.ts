// A client of running service processes over real HTTP, with one cookie jar that it carries
// from instance to instance, as a browser behind a load balancer would.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface HttpResult<T> {
  status: number;
  data: T | null | undefined;
  errors: Array<{ message: string; extensions?: Record<string, unknown> }> | undefined;
  elapsedMs: number;
}

/**
 * Keeps the session cookie; with `allCookies`, every cookie the service sets (the device's, a
 * second-factor challenge's), as a browser would.
 */
export function httpAgent(options: { allCookies?: boolean } = {}) {
  const jar = new Map<string, string>();
  return {
    /** The session cookie's value. */
    get cookie() {
      return jar.get('session') ?? null;
    },
    async gql<T, V>(graphqlUrl: string, document: TypedDocumentNode<T, V>, variables?: V): Promise<HttpResult<T>> {
      const started = performance.now();
      const cookieHeader = [...jar].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookieHeader === '' ? {} : { cookie: cookieHeader }) },
        body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
      });
      for (const header of response.headers.getSetCookie()) {
        const [pair] = header.split(';');
        const name = pair!.slice(0, pair!.indexOf('='));
        if (name !== 'session' && !options.allCookies) continue;
        const value = decodeURIComponent(pair!.slice(name.length + 1));
        if (value === '' || /Expires=Thu, 01 Jan 1970/i.test(header)) jar.delete(name);
        else jar.set(name, value);
      }
      const body = (await response.json()) as { data?: T | null; errors?: HttpResult<T>['errors'] };
      return { status: response.status, data: body.data, errors: body.errors, elapsedMs: performance.now() - started };
    },
  };
}

/** The first error's code. Kept for tests written before errorOf (errors.ts), which reads these results too. */
export { codeOf as codeOfResult } from './errors.ts';

/** GET /ready of the instance whose GraphQL endpoint is `graphqlUrl`. */
export async function readyStatus(graphqlUrl: string): Promise<number> {
  return (await fetch(graphqlUrl.replace(/\/graphql$/, '/ready'))).status;
}

/** Waits for a condition by asking again every `intervalMs`; fails with `what` after `timeoutMs`. */
export async function eventually(what: string, condition: () => Promise<boolean>, timeoutMs = 20_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
