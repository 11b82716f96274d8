// METRICS_PORT on the built service: real traffic on the API's port, then a scrape on the
// metrics port, read as Prometheus would and searched for what must never be in it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { startService, type RunningService } from '../helpers/service-process.ts';
import { parseMetrics, promtoolProblems, sampleValue } from '../helpers/prometheus-text.ts';

const running: RunningService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function start(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'auth-api-metrics-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const service = await startService({ DATABASE_URL: `file:${join(dir, 'auth.db')}`, ...env });
  running.push(service);
  return service;
}

/** One GraphQL request as a browser sends it; the session cookie it sets, if any. */
async function post(url: string, query: string, variables: Record<string, unknown> = {}, cookie: string | null = null) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie === null ? {} : { cookie }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, { id?: string } | boolean | null>; errors?: unknown[] };
  return { body, cookie: response.headers.getSetCookie()[0]?.split(';')[0] ?? null };
}

const REGISTER = 'mutation($email: String!, $password: String!) { register(email: $email, password: $password) { id } }';
const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { id } }';
const ME = '{ me { id email } }';
const REQUEST_RESET = 'mutation($email: String!) { requestPasswordReset(email: $email) }';
const RESET = 'mutation($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }';

describe('METRICS_PORT', () => {
  it('serves auth events, hashing, mail, request and process metrics on its own port, naming nobody', async () => {
    const service = await start({ METRICS_PORT: '0' });
    const { metricsUrl } = (await service.waitForLine((line) => typeof line.metricsUrl === 'string')) as { metricsUrl: string };
    const email = 'metrics-watcher@example.com';
    const password = 'a watched passphrase';

    const registered = await post(service.url, REGISTER, { email, password });
    const userId = (registered.body.data?.register as { id: string }).id;
    const login = await post(service.url, LOGIN, { email, password });
    await post(service.url, LOGIN, { email, password: 'not the passphrase' });
    await post(service.url, LOGIN, { email: 'stranger@example.com', password: 'not the passphrase' });
    expect((await post(service.url, ME, {}, login.cookie)).body.data?.me).toMatchObject({ id: userId });
    await post(service.url, REQUEST_RESET, { email });
    // Without SMTP_URL the mail, link included, is in the log (development transport).
    const mail = (await service.waitForLine(
      (line) => line.mailTransport === 'log' && (line.mail as { subject: string }).subject === 'Reset your password',
    )) as { mail: { text: string } };
    const resetToken = /token=([A-Za-z0-9_-]+)/.exec(mail.mail.text)![1];
    expect((await post(service.url, RESET, { token: resetToken, newPassword: 'another watched passphrase' })).body.data).toEqual({
      resetPassword: true,
    });

    const scrape = await fetch(metricsUrl);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await scrape.text();
    const samples = parseMetrics(text);
    const authEvents = (event: string, outcome: string) => sampleValue(samples, 'auth_events_total', { event, outcome });
    expect(authEvents('register', 'success')).toBe(1);
    expect(authEvents('login', 'success')).toBe(1);
    expect(authEvents('login', 'failure')).toBe(2);
    expect(authEvents('password_reset_requested', 'mailed')).toBe(1);
    expect(authEvents('password_reset', 'success')).toBe(1);
    expect(sampleValue(samples, 'auth_mail_total', { outcome: 'sent' })).toBeGreaterThanOrEqual(1); // the reset mail, and the notice after it
    expect(sampleValue(samples, 'auth_hashing_duration_seconds_count')).toBeGreaterThanOrEqual(5);
    expect(sampleValue(samples, 'auth_hashing_shed_total')).toBe(0);
    expect(sampleValue(samples, 'graphql_yoga_http_duration_count', { operationType: 'mutation', statusCode: '200' })).toBe(6);
    expect(sampleValue(samples, 'graphql_envelop_phase_execute_count', { operationType: 'query' })).toBe(1);
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    const secrets = [email, 'stranger@example.com', '127.0.0.1', userId, login.cookie!.split('=')[1]!, resetToken, password];
    for (const secret of secrets) expect(text, `the metrics page holds ${secret}`).not.toContain(secret);
    // The labels come from closed sets: the event and outcome names of README, "Operating it".
    const labelValues = new Set(samples.filter((s) => s.name === 'auth_events_total').flatMap((s) => [s.labels.event, s.labels.outcome]));
    for (const value of labelValues) expect(value).toMatch(/^[a-z_]+$/);

    // Lint problems are allowed only in the libraries' own names (envelop's camelCase labels,
    // prom-client's nodejs_active_*_total gauges), never in the service's auth_* metrics.
    for (const problem of promtoolProblems(text) ?? []) expect(problem).toMatch(/^(graphql_envelop_|graphql_yoga_|nodejs_)/);
  });

  it('answers 404 to anything but GET /metrics there, and the API never serves metrics', async () => {
    const service = await start({ METRICS_PORT: '0' });
    const { metricsUrl } = (await service.waitForLine((line) => typeof line.metricsUrl === 'string')) as { metricsUrl: string };
    expect((await fetch(new URL('/graphql', metricsUrl))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST', body: '' })).status).toBe(404);
    expect((await fetch(new URL('/metrics', service.url))).status).toBe(404);
    // The metrics server, its scrape connections and process metrics hold nothing open at shutdown.
    expect(await service.stop()).toBe(0);
  });

  it('shows the main series at 0 from start-up, so rates and alerts work before the first event', async () => {
    const service = await start({ METRICS_PORT: '0' });
    const { metricsUrl } = (await service.waitForLine((line) => typeof line.metricsUrl === 'string')) as { metricsUrl: string };
    const samples = parseMetrics(await (await fetch(metricsUrl)).text());
    const present = (name: string, labels: Record<string, string>) =>
      samples.some((s) => s.name === name && s.value === 0 && Object.entries(labels).every(([key, value]) => s.labels[key] === value));
    expect(present('auth_events_total', { event: 'login', outcome: 'failure' })).toBe(true);
    expect(present('auth_events_total', { event: 'password_hashing', outcome: 'rate_limited' })).toBe(true);
    expect(present('auth_mail_total', { outcome: 'failed' })).toBe(true);
    expect(present('auth_hashing_shed_total', {})).toBe(true);
  });

  it('is off unless set', async () => {
    const service = await start({});
    await post(service.url, ME);
    expect(service.lines.some((line) => 'metricsUrl' in line)).toBe(false);
    expect((await fetch(new URL('/metrics', service.url))).status).toBe(404);
  });
});
