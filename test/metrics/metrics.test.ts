// The counters behind METRICS_PORT, in-process: each app counts into a registry of its own.
import { describe, expect, it } from 'vitest';
import { HashingQueue } from '../../src/auth/hashing-queue.ts';
import { PasswordHasher } from '../../src/auth/passwords.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { createTestApp } from '../helpers/app.ts';
import { Login, Register, RequestPasswordReset, ada } from '../helpers/operations.ts';
import { parseMetrics, sampleValue } from '../helpers/prometheus-text.ts';

async function scrape(metrics: ReturnType<typeof createMetrics>) {
  return parseMetrics(await metrics.registry.metrics());
}

describe('metrics', () => {
  it('count shed hashes, time the others and show how many wait', async () => {
    const metrics = createMetrics();
    const queue = new HashingQueue({ concurrency: 1, maxWaitMs: 2000, initialEstimateMs: 200, observer: metrics.hashing });
    metrics.watchHashingQueue(queue);
    const hasher = new PasswordHasher(4, queue);
    // 2000 ms at an assumed 200 ms per hash on one lane: 10 accepted (1 running, 9 waiting), 90 shed.
    const storm = Array.from({ length: 100 }, () => hasher.hash('a passphrase here').catch(() => 'shed'));
    const during = await scrape(metrics);
    await Promise.all(storm);
    const after = await scrape(metrics);

    expect(sampleValue(during, 'auth_hashing_queue_depth')).toBe(9);
    expect(sampleValue(during, 'auth_hashing_running')).toBe(1);
    expect(sampleValue(after, 'auth_hashing_shed_total')).toBe(90);
    expect(sampleValue(after, 'auth_hashing_duration_seconds_count')).toBe(10);
    expect(sampleValue(after, 'auth_hashing_queue_depth')).toBe(0);
  });

  it('count audit events by event and outcome, each app in its own registry', async () => {
    const metrics = createMetrics();
    const other = createMetrics();
    const api = await createTestApp({}, { metrics });
    await createTestApp({}, { metrics: other });
    await api.gql(Register, ada);
    await api.gql(Login, { email: ada.email, password: 'wrong guess here' });
    await api.gql(Login, { email: 'nobody@example.com', password: 'wrong guess here' });
    await api.gql(Login, ada);

    const samples = await scrape(metrics);
    expect(sampleValue(samples, 'auth_events_total', { event: 'register', outcome: 'success' })).toBe(1);
    expect(sampleValue(samples, 'auth_events_total', { event: 'login', outcome: 'failure' })).toBe(2);
    expect(sampleValue(samples, 'auth_events_total', { event: 'login', outcome: 'success' })).toBe(1);
    // The register's hash and three compares (the unknown email's against the dummy hash).
    expect(sampleValue(samples, 'auth_hashing_duration_seconds_count')).toBeGreaterThanOrEqual(4);
    const untouched = await scrape(other);
    expect(sampleValue(untouched, 'auth_events_total', { event: 'register', outcome: 'success' })).toBe(0);
    expect(sampleValue(untouched, 'auth_hashing_duration_seconds_count')).toBeLessThanOrEqual(1); // its own dummy hash
  });

  it('count mail sent and mail that failed', async () => {
    const metrics = createMetrics();
    const api = await createTestApp({}, { smtp: true, metrics });
    await api.gql(Register, ada);
    await api.gql(RequestPasswordReset, { email: ada.email });
    await api.background.drain();
    await api.mailbox().close();
    await api.gql(RequestPasswordReset, { email: ada.email });
    await api.background.drain();

    const samples = await scrape(metrics);
    // Sent: register's verification link and the first reset link; failed: the second.
    expect(sampleValue(samples, 'auth_mail_total', { outcome: 'sent' })).toBe(2);
    expect(sampleValue(samples, 'auth_mail_total', { outcome: 'failed' })).toBe(1);
    expect(sampleValue(samples, 'auth_events_total', { event: 'password_reset_requested', outcome: 'mailed' })).toBe(2);
  });

  it('time GraphQL requests by operation type, not by the name the client chose', async () => {
    const metrics = createMetrics();
    const api = await createTestApp({}, { metrics });
    await api.gql('query ada_example_com { __typename }');
    const samples = await scrape(metrics);
    expect(sampleValue(samples, 'graphql_yoga_http_duration_count', { operationType: 'query', method: 'POST', statusCode: '200' })).toBe(1);
    expect(sampleValue(samples, 'graphql_envelop_phase_parse_count', { operationType: 'query' })).toBe(1);
    expect(samples.some((s) => Object.values(s.labels).some((value) => value.includes('ada_example_com')))).toBe(false);
  });
});
