// The longest a request waits while housekeeping runs in the service: a steady `me` load from
// before the run starts until after it ends, each answer's latency kept with the time it came,
// and the run's start and end read from its own log line ("housekeeping run done").
import autocannon from 'autocannon';

export interface PauseResult {
  durationMs: number;
  removedRows: number;
  batches: number;
  /** The longest answer among the requests in flight at any moment of the run. */
  maxLatencyMs: number;
  p99Ms: number;
  /** Requests in flight at some moment of the run. */
  requests: number;
  /** The same load before the run began (after a second's warm-up): what the machine gives anyway. */
  before: { maxLatencyMs: number; p99Ms: number; requests: number };
  /** The service's own measure: the longest its event loop was held during the run. */
  longestStallMs: number;
  /** Answers that were not a `me`, errors and timeouts, over the whole load. */
  failed: number;
}

export interface PauseOptions<S extends { url: string }> {
  /** Starts the service with housekeeping due shortly; `onLine` sees its log. */
  start(onLine: (line: Record<string, unknown>) => void): Promise<S>;
  cookieFor(service: S): Promise<string>;
  stop(service: S): Promise<void>;
  body: string;
  accept(status: number, body: string): boolean;
}

const CONNECTIONS = 8;
const WARM_UP_MS = 1000;

function sortedLatencies(samples: Array<{ latencyMs: number }>): number[] {
  return samples.map((s) => s.latencyMs).sort((a, b) => a - b);
}

function figuresOf(sorted: number[]) {
  return {
    maxLatencyMs: Math.round(sorted.at(-1) ?? 0),
    p99Ms: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
    requests: sorted.length,
  };
}
/** Load kept up after the run, so requests it delayed are answered and counted. */
const AFTER_MS = 1000;

export async function measurePause<S extends { url: string }>(options: PauseOptions<S>): Promise<PauseResult> {
  let reportDone!: (line: Record<string, unknown>) => void;
  const done = new Promise<Record<string, unknown>>((resolve) => (reportDone = resolve));
  const service = await options.start((line) => {
    if (line.msg === 'housekeeping run done') reportDone(line);
  });
  try {
    const cookie = await options.cookieFor(service);
    const samples: Array<{ at: number; latencyMs: number }> = [];
    let refused = 0;
    const loadStarted = Date.now();
    let reportResult!: (result: autocannon.Result) => void;
    let reportError!: (error: unknown) => void;
    const finished = new Promise<autocannon.Result>((resolve, reject) => {
      reportResult = resolve;
      reportError = reject;
    });
    const instance = autocannon(
      {
        url: service.url,
        connections: CONNECTIONS,
        duration: 3600,
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        requests: [
          {
            body: options.body,
            onResponse: (status: number, body: string) => {
              if (!options.accept(status, body)) refused += 1;
            },
          },
        ],
      } as unknown as autocannon.Options,
      (error, result) => (error ? reportError(error) : reportResult(result)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, latencyMs: number) => {
      samples.push({ at: Date.now(), latencyMs });
    });
    const line = await done;
    await new Promise((resolve) => setTimeout(resolve, AFTER_MS));
    instance.stop();
    const result = await finished;

    const summary = line.housekeeping as { removed: Record<string, number>; batches: number; durationMs: number; longestStallMs: number };
    const end = line.time as number;
    const start = end - summary.durationMs;
    if (start < loadStarted) throw new Error('housekeeping began before the load: raise HOUSEKEEPING_DELAY_SECONDS');
    const during = sortedLatencies(samples.filter((s) => s.at >= start && s.at - s.latencyMs <= end));
    const before = sortedLatencies(samples.filter((s) => s.at - s.latencyMs >= loadStarted + WARM_UP_MS && s.at < start));
    return {
      durationMs: summary.durationMs,
      removedRows: Object.values(summary.removed).reduce((sum, count) => sum + count, 0),
      batches: summary.batches,
      ...figuresOf(during),
      before: figuresOf(before),
      longestStallMs: summary.longestStallMs,
      failed: refused + result.errors + result.timeouts,
    };
  } finally {
    await options.stop(service);
  }
}
