// A mutation is refused when the request says it comes from another site: a browser sends
// Sec-Fetch-Site: cross-site, or an Origin that is neither this service's nor one of
// CORS_ORIGINS. SameSite=Lax already keeps the cookie off most cross-site requests; this is
// the second lock on the door, for browsers and setups where the first does not hold.
import { getOperationAST } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** The host the client addressed; behind trusted proxies, the one they forwarded. */
function ownHost(request: Request, trustProxy: number): string | null {
  const forwarded = trustProxy > 0 ? request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return forwarded || request.headers.get('host') || new URL(request.url).host;
}

export function isCrossSite(request: Request, allowedOrigins: readonly string[], trustProxy: number): boolean {
  if (request.headers.get('sec-fetch-site') === 'cross-site') return true;
  const origin = request.headers.get('origin');
  if (origin === null) return false; // not a browser's cross-origin request
  if (allowedOrigins.includes(origin)) return false;
  try {
    return new URL(origin).host !== ownHost(request, trustProxy);
  } catch {
    return true; // "null" and other opaque origins
  }
}

export function useCrossSiteMutationGuard(options: { allowedOrigins: readonly string[]; trustProxy: number }): Plugin<{
  request: Request;
}> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      if (!isCrossSite(args.contextValue.request, options.allowedOrigins, options.trustProxy)) return;
      setResultAndStopExecution({
        errors: [createGraphQLError('Cross-site request refused.', { extensions: { code: 'BAD_REQUEST', http: { status: 403 } } })],
      });
    },
  };
}
