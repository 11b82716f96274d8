// The real app behind a real listening socket on 127.0.0.1, for what only a socket shows
// (headers, bodies, keep-alive) and for clients that speak HTTP themselves (Apollo Client,
// urql, a browser). Closed when the test ends.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { createTestApp, type TestApp, type TestAppOptions } from './app.ts';

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/** Serves an app on a free loopback port; returns its origin (http://127.0.0.1:port). */
export async function listen(api: TestApp): Promise<string> {
  return (await serve(api)).origin;
}

async function serve(api: TestApp): Promise<{ server: Server; origin: string }> {
  const server = createServer(api.yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  // Registered after createTestApp's clean-up, so it runs before it (vitest runs these as a
  // stack): no request reaches a disconnected database.
  onTestFinished(() => closeServer(server));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

export async function startTestServer(env: Record<string, string> = {}, options: TestAppOptions = {}) {
  const api = await createTestApp(env, options);
  const { server, origin } = await serve(api);
  return { ...api, server, origin, url: `${origin}/graphql` };
}

/** Method and content type of every request that reaches the server from now on. */
export function recordRequests(server: Server): Array<{ method: string; contentType: string | null }> {
  const seen: Array<{ method: string; contentType: string | null }> = [];
  server.prependListener('request', (request: IncomingMessage) => {
    seen.push({ method: request.method ?? '', contentType: request.headers['content-type'] ?? null });
  });
  return seen;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets of the clients would hold close() open until they time out.
    server.closeAllConnections();
  });
}
