// One load run with autocannon on 127.0.0.1: requests/s, latency percentiles, and how many
// answers a check accepted (a login that logged in, not one that was shed).
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  okPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  ok: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Required unless `requestFor` gives each request its own. */
  body?: string | ((n: number) => string);
  cookie?: string;
  /** Per request instead of `body` and `cookie`: each request its own body and cookie. */
  requestFor?: (n: number) => { body: string; cookie: string };
  /** Send exactly this many requests (then the rates are per second of the time they took) instead of running `durationSeconds`. */
  amount?: number;
  /** Counts an answer as a success (default: any 200). */
  accept?: (status: number, body: string) => boolean;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let ok = 0;
  let sent = 0;
  const accept = options.accept ?? ((status: number) => status === 200);
  const started = performance.now();
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.amount === undefined ? {} : { amount: options.amount }),
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          sent += 1;
          if (options.requestFor !== undefined) {
            const { body, cookie } = options.requestFor(sent);
            return { ...request, body, headers: { ...(request.headers as Record<string, string>), cookie } };
          }
          const body = options.body ?? '';
          return { ...request, body: typeof body === 'string' ? body : body(sent) };
        },
        onResponse: (status: number, body: string) => {
          if (accept(status, body)) ok += 1;
        },
      },
    ],
  } as unknown as autocannon.Options);
  const seconds = options.amount === undefined ? options.durationSeconds : (performance.now() - started) / 1000;
  return {
    requestsPerSecond: result.requests.total / seconds,
    okPerSecond: ok / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    ok,
    errors: result.errors + result.timeouts,
  };
}
