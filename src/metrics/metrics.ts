// The service's Prometheus metrics, in a registry of their own (not prom-client's global one), so
// that every app a test builds counts alone. main.ts loads this module only when METRICS_PORT is
// set: without it prom-client is never imported and no hook below runs on a request.
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AuditObserver } from '../auth/audit.ts';
import type { HashingObserver } from '../auth/hashing-queue.ts';
import type { MailObserver } from '../mail/mailer.ts';
import { INITIAL_AUTH_EVENT_LABELS, authEventCount, authEventLabels } from './auth-event-labels.ts';

/** What the hashing queue reports about itself when scraped. */
export interface HashingQueueState {
  readonly queued: number;
  readonly running: number;
}

export interface Metrics {
  readonly registry: Registry;
  readonly audit: AuditObserver;
  readonly hashing: HashingObserver;
  readonly mail: MailObserver;
  /** The queue whose depth is read at each scrape. */
  watchHashingQueue(queue: HashingQueueState): void;
  /** Request and GraphQL phase durations (yoga's Prometheus plugin, on this registry). */
  graphqlPlugin(): Plugin;
}

/** bcrypt at the costs in use: a few ms at cost 4 (tests) to about a second at 14. */
const HASH_BUCKETS_SECONDS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4];

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const hashing = hashingMetrics(registry);
  return {
    registry,
    audit: authEventMetrics(registry),
    hashing: hashing.observer,
    mail: mailMetrics(registry),
    watchHashingQueue: hashing.watch,
    graphqlPlugin: () => graphqlMetricsPlugin(registry),
  };
}

function authEventMetrics(registry: Registry): AuditObserver {
  const authEvents = new Counter({
    name: 'auth_events_total',
    help: 'Audit events by event and outcome (closed sets; see README, "Operating it").',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  });
  for (const labels of INITIAL_AUTH_EVENT_LABELS) authEvents.inc(labels, 0);
  return (event, fields) => authEvents.inc(authEventLabels(event, fields), authEventCount(event, fields));
}

function hashingMetrics(registry: Registry): { observer: HashingObserver; watch(queue: HashingQueueState): void } {
  const shed = new Counter({
    name: 'auth_hashing_shed_total',
    help: 'Password checks refused at once because the hashing queue could not finish them in time.',
    registers: [registry],
  });
  const hashDuration = new Histogram({
    name: 'auth_hashing_duration_seconds',
    help: 'Time one bcrypt hash or compare took on the thread pool.',
    buckets: HASH_BUCKETS_SECONDS,
    registers: [registry],
  });
  let queue: HashingQueueState | null = null;
  new Gauge({
    name: 'auth_hashing_queue_depth',
    help: 'Hashes waiting for a slot in the hashing queue.',
    registers: [registry],
    collect() {
      this.set(queue?.queued ?? 0);
    },
  });
  new Gauge({
    name: 'auth_hashing_running',
    help: 'Hashes running at this moment.',
    registers: [registry],
    collect() {
      this.set(queue?.running ?? 0);
    },
  });
  return {
    observer: { shed: () => shed.inc(), hashed: (durationMs) => hashDuration.observe(durationMs / 1000) },
    watch: (watched) => {
      queue = watched;
    },
  };
}

function mailMetrics(registry: Registry): MailObserver {
  const mail = new Counter({
    name: 'auth_mail_total',
    help: 'Mail handed to the transport, by outcome (sent or failed).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  mail.inc({ outcome: 'sent' }, 0);
  mail.inc({ outcome: 'failed' }, 0);
  return { sent: () => mail.inc({ outcome: 'sent' }), failed: () => mail.inc({ outcome: 'failed' }) };
}

function graphqlMetricsPlugin(registry: Registry): Plugin {
  return usePrometheus({
    registry,
    // Served by the metrics server on its own port, never on the API's.
    endpoint: false,
    metrics: {
      // The same timings as graphql_envelop_request_duration, as a summary that cannot be
      // summed across instances; the histogram is enough.
      graphql_envelop_request_time_summary: false,
      // Walks every document with the schema's type info to find deprecated fields: about
      // 70 µs of CPU per `me` (measured in-process, a third of the request) for a schema
      // that has none.
      graphql_envelop_deprecated_field: false,
    },
    // Closed sets only: the operation name, a field's path (aliases) and the URL (its query
    // string) are all chosen by the client and could carry an email or a token.
    labels: { operationName: false, path: false, url: false },
  });
}
