// Headers on every response. API answers may be read by nothing but a script of an allowed
// origin: no framing, no sniffing, no referrer, no caching of account data. GraphiQL's page
// needs a looser CSP (inline script and style, blob: workers for the editor), only from this
// service; it is off in production by default. The service's own pages (http/pages.ts) are
// on everywhere and need nothing but their own script, stylesheet and POST /graphql.
import type { Plugin } from 'graphql-yoga';

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** A response that brings its own policy (the pages, http/pages.ts) keeps it. */
function contentSecurityPolicy(response: Response): string {
  const own = response.headers.get('content-security-policy');
  if (own !== null) return own;
  const isHtml = (response.headers.get('content-type') ?? '').startsWith('text/html');
  return isHtml ? GRAPHIQL_CSP : API_CSP;
}

export function useSecurityHeaders(options: { production: boolean }): Plugin {
  return {
    onResponse({ response }) {
      const headers = response.headers;
      headers.set('content-security-policy', contentSecurityPolicy(response));
      headers.set('x-content-type-options', 'nosniff');
      headers.set('referrer-policy', 'no-referrer');
      headers.set('x-frame-options', 'DENY');
      headers.set('cross-origin-opener-policy', 'same-origin');
      headers.set('cross-origin-resource-policy', 'same-origin');
      if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
      // CORS answers depend on the Origin header; caches must not hand one origin's to another.
      if (!/\borigin\b/i.test(headers.get('vary') ?? '')) headers.append('vary', 'Origin');
      if (options.production) headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
    },
  };
}
