// GET /health answers while the process runs (graphql-yoga's own healthCheckEndpoint);
// GET /ready answers 200 only while the database does, so a load balancer stops sending
// traffic to an instance that has lost it.
import type { Plugin } from 'graphql-yoga';

export function useReadiness(isReady: () => Promise<boolean>): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      const ready = await isReady();
      endResponse(
        new fetchAPI.Response(JSON.stringify({ status: ready ? 'ready' : 'unavailable' }), {
          status: ready ? 200 : 503,
          headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
