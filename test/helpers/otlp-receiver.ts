// A stand-in for an OpenTelemetry collector: accepts OTLP over HTTP (POST /v1/traces), keeps
// every byte it was sent, and decodes the spans of http/json exports. Tests wait for the spans
// they need with `waitFor`, which the next export settles: no sleeps.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
  /** Names of the span's events (an exception recorded on it is one). */
  events: string[];
  /** The resource's service.name. */
  serviceName: unknown;
}

export interface OtlpReceiver {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  url: string;
  /** Every request body, as sent. */
  bodies: Buffer[];
  contentTypes: string[];
  /** Spans of the http/json exports so far. */
  spans: ReceivedSpan[];
  /** Resolves once `ready(spans, bodies)` holds, checked as each export arrives. */
  waitFor(ready: (spans: ReceivedSpan[], bodies: Buffer[]) => boolean): Promise<ReceivedSpan[]>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpJson {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: OtlpValue }> };
    scopeSpans?: Array<{
      spans?: Array<{
        name: string;
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        attributes?: Array<{ key: string; value: OtlpValue }>;
        events?: Array<{ name: string }>;
      }>;
    }>;
  }>;
}

const valueOfAttribute = (value: OtlpValue) => value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;
const attributesOf = (list: Array<{ key: string; value: OtlpValue }> = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, valueOfAttribute(value)]));

function spansOf(body: OtlpJson): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resourceSpan) => {
    const serviceName = attributesOf(resourceSpan.resource?.attributes)['service.name'];
    return (resourceSpan.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        name: span.name,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        attributes: attributesOf(span.attributes),
        events: (span.events ?? []).map((event) => event.name),
        serviceName,
      })),
    );
  });
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const bodies: Buffer[] = [];
  const contentTypes: string[] = [];
  const spans: ReceivedSpan[] = [];
  const waiters: Array<{ ready: (spans: ReceivedSpan[], bodies: Buffer[]) => boolean; resolve: (spans: ReceivedSpan[]) => void }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = request.headers['content-type'] ?? '';
      bodies.push(body);
      contentTypes.push(contentType);
      if (request.url !== '/v1/traces' || request.method !== 'POST') {
        response.writeHead(404).end();
        return;
      }
      if (contentType.startsWith('application/json')) spans.push(...spansOf(JSON.parse(body.toString('utf8')) as OtlpJson));
      // An empty ExportTraceServiceResponse: {} in JSON, zero bytes in protobuf.
      const json = contentType.startsWith('application/json');
      response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
      for (const waiter of waiters.filter((w) => w.ready(spans, bodies))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(spans);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    contentTypes,
    spans,
    waitFor: (ready) =>
      new Promise((resolve) => {
        if (ready(spans, bodies)) resolve(spans);
        else waiters.push({ ready, resolve });
      }),
  };
}
