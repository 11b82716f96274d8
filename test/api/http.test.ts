import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogMailer } from '../../src/mail/mailer.ts';
import { systemClock } from '../../src/clock.ts';
import { captureLogs } from '../helpers/logs.ts';
import { createTestApp } from '../helpers/app.ts';
import { unreachableDatabaseUrl } from '../helpers/db.ts';
import { ada } from '../helpers/operations.ts';

describe('HTTP surface', () => {
  it('answers queries over GET without any special header', async () => {
    const api = await createTestApp();
    const response = await api.yoga.fetch('http://localhost/graphql?query=' + encodeURIComponent('{ me { id } }'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { me: null } });
  });

  it('answers 405 to a mutation sent over GET, and runs nothing', async () => {
    const api = await createTestApp();
    const query = `mutation { register(email: "${ada.email}", password: "${ada.password}") { id } }`;
    const response = await api.yoga.fetch('http://localhost/graphql?query=' + encodeURIComponent(query));
    expect(response.status).toBe(405);
    expect(await api.prisma.user.count()).toBe(0);
  });

  it('GET /health answers 200', async () => {
    const api = await createTestApp();
    expect((await api.yoga.fetch('http://localhost/health')).status).toBe(200);
  });

  it('GET /ready answers 200 while the database answers', async () => {
    const api = await createTestApp();
    const response = await api.yoga.fetch('http://localhost/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('GET /ready answers 503 when the database cannot be reached', async () => {
    const config = loadConfig({ DATABASE_URL: await unreachableDatabaseUrl() });
    const logs = captureLogs();
    // The adapter connects lazily, so the failure shows at the first query, not here.
    const database = openDatabase(config);
    onTestFinished(() => database.close());
    const { yoga } = createApp({
      config,
      database,
      mailer: createLogMailer(logs.log, { redactBody: false }),
      clock: systemClock,
      log: logs.log,
    });
    const response = await yoga.fetch('http://localhost/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable' });
  });

  it('serves GraphiQL to a browser with its assets from this service, not a CDN', async () => {
    const api = await createTestApp();
    const response = await api.yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdn\./);
    expect(html).toContain('mutation Login');
  });

  it('answers me for a request that carries nothing but the session cookie', async () => {
    const api = await createTestApp();
    const { cookie } = await api.signedIn();
    const response = await api.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `session=${cookie}` },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    expect(await response.json()).toEqual({ data: { me: { email: ada.email } } });
  });
});
