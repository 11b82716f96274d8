// The requests a hostile page can make a victim's browser send, against a real server.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type HasErrors } from '../helpers/app.ts';
import { listen } from '../helpers/server.ts';
import { productionEnv } from '../helpers/production.ts';

const registerMutation = 'mutation { register(email: "victim@example.com", password: "a passphrase here") { id } }';

async function served(env: Record<string, string> = {}) {
  const api = await createTestApp(env);
  return { api, url: `${await listen(api)}/graphql` };
}

describe('content types a cross-site form can send', () => {
  it.each([
    ['text/plain', JSON.stringify({ query: registerMutation })],
    ['application/x-www-form-urlencoded', `query=${encodeURIComponent(registerMutation)}`],
    ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${registerMutation}\r\n--x--\r\n`],
    ['application/graphql', registerMutation],
  ])('refuses %s with 415 BAD_REQUEST and creates no account', async (contentType, body) => {
    const { api, url } = await served();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(415);
    expect(errorOf((await response.json()) as HasErrors)).toEqual({ code: 'BAD_REQUEST' });
    expect(await api.prisma.user.count()).toBe(0);
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'application/graphql-response+json'])(
    'accepts %s and runs the mutation',
    async (contentType) => {
      const { api, url } = await served();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: JSON.stringify({ query: registerMutation }),
      });
      expect(response.status).toBe(200);
      expect(await api.prisma.user.count()).toBe(1);
    },
  );
});

describe('mutations that say they come from another site', () => {
  const send = (url: string, headers: Record<string, string>, query = registerMutation) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

  it.each([
    [{ 'sec-fetch-site': 'cross-site' }],
    [{ origin: 'https://evil.example' }],
    [{ origin: 'null' }],
    [{ origin: 'https://evil.example', 'sec-fetch-site': 'same-site' }],
  ])('are refused with 403 BAD_REQUEST and no side effect: %j', async (headers) => {
    const { api, url } = await served({ CORS_ORIGINS: 'https://app.example.com' });
    const response = await send(url, headers);
    expect(response.status).toBe(403);
    expect(errorOf((await response.json()) as HasErrors)).toEqual({ code: 'BAD_REQUEST' });
    expect(await api.prisma.user.count()).toBe(0);
  });

  it.each([[{ 'sec-fetch-site': 'same-origin' }], [{ origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site' }]])(
    'run when same-origin, and are refused with 403 when the browser says cross-site even from an allowed origin: %j',
    async (headers) => {
      const { api, url } = await served({ CORS_ORIGINS: 'https://app.example.com' });
      const response = await send(url, headers);
      const allowedOrigin = 'origin' in headers;
      // An allowed origin that a browser still calls cross-site is refused: the cookie is Lax.
      expect(response.status).toBe(allowedOrigin ? 403 : 200);
      expect(await api.prisma.user.count()).toBe(allowedOrigin ? 0 : 1);
    },
  );

  it("accept the service's own origin and an allowed one", async () => {
    const { api, url } = await served({ CORS_ORIGINS: 'https://app.example.com' });
    expect((await send(url, { origin: new URL(url).origin })).status).toBe(200);
    const second = registerMutation.replace('victim@', 'second@');
    expect((await send(url, { origin: 'https://app.example.com', 'sec-fetch-site': 'same-site' }, second)).status).toBe(200);
    expect(await api.prisma.user.count()).toBe(2);
  });

  it('let a cross-site query through with 200: it changes nothing', async () => {
    const { url } = await served();
    expect((await send(url, { 'sec-fetch-site': 'cross-site' }, '{ me { id } }')).status).toBe(200);
  });
});

describe('CORS', () => {
  const preflight = (url: string, origin: string) =>
    fetch(url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('allows a listed origin with credentials, naming it (never *)', async () => {
    const { url } = await served({ CORS_ORIGINS: 'https://app.example.com,http://localhost:5173' });
    const response = await preflight(url, 'https://app.example.com');
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);

    const actual = await fetch(url, {
      method: 'POST',
      headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' },
      body: '{"query":"{ me { id } }"}',
    });
    expect(actual.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(actual.headers.get('vary')).toMatch(/origin/i);
  });

  it('gives a foreign origin nothing to read', async () => {
    const { url } = await served({ CORS_ORIGINS: 'https://app.example.com' });
    const response = await preflight(url, 'https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    const actual = await fetch(url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{"query":"{ me { id } }"}',
    });
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no origin at all by default', async () => {
    const { url } = await served();
    expect((await preflight(url, 'https://app.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('security headers', () => {
  it('are on API answers, errors, health checks and the GraphiQL page', async () => {
    const { url } = await served();
    const base = url.replace('/graphql', '');
    const responses = [
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { id } }"}' }),
      await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }),
      await fetch(`${base}/health`),
      await fetch(`${base}/ready`),
      await fetch(url, { headers: { accept: 'text/html' } }),
    ];
    for (const response of responses) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
    expect(responses[0]!.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(responses[0]!.headers.get('cache-control')).toBe('no-store');
    // GraphiQL's page may run its own inline bundle, and connect only to this service.
    const graphiqlCsp = responses[4]!.headers.get('content-security-policy')!;
    expect(graphiqlCsp).toMatch(/script-src 'self' 'unsafe-inline'/);
    expect(graphiqlCsp).toMatch(/connect-src 'self'/);
  });

  it('add Strict-Transport-Security in production', async () => {
    const { url } = await served(productionEnv);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ me { id } }"}',
    });
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});
