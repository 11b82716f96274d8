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

export function httpAgent() {
  let cookie: string | null = null;
  return {
    get cookie() {
      return cookie;
    },
    async gql<T, V>(graphqlUrl: string, document: TypedDocumentNode<T, V>, variables?: V): Promise<HttpResult<T>> {
      const started = performance.now();
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie === null ? {} : { cookie: `session=${cookie}` }) },
        body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
      });
      for (const header of response.headers.getSetCookie()) {
        const [pair] = header.split(';');
        if (!pair!.startsWith('session=')) continue;
        const value = decodeURIComponent(pair!.slice('session='.length));
        cookie = value === '' || /Expires=Thu, 01 Jan 1970/i.test(header) ? null : value;
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
