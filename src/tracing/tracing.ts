// OpenTelemetry traces, on when an OTLP endpoint is set (config.ts, TracingSettings). main.ts
// imports this module only then: without it no OpenTelemetry package is loaded and nothing
// below runs on a request.
//
// What a span may hold: the operation's type and name, the SQL text of a query with its
// placeholders, timings, and error counts. Never variables, results, query parameters or
// error messages: those are where passwords, codes, tokens and emails travel.
import { useOpenTelemetry } from '@envelop/opentelemetry';
import type { Span, Tracer, TracerProvider } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import type { Plugin } from 'graphql-yoga';
import type { TracingSettings } from '../config.ts';
import type { SessionLookup } from '../db/session-lookup.ts';
import { traceSessionLookup } from './session-lookup-spans.ts';

export interface Tracing {
  /** A span per GraphQL operation, parent of the database spans its resolvers cause. */
  graphqlPlugin(): Plugin;
  /** The session lookup that bypasses Prisma (db/session-lookup.ts), with a span per call. */
  traceSessionLookup(lookup: SessionLookup): SessionLookup;
  /** Sends what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

export function startTracing(settings: TracingSettings): Tracing {
  const exporter =
    settings.protocol === 'http/json'
      ? new OtlpJsonExporter({ url: settings.tracesUrl })
      : new OtlpProtobufExporter({ url: settings.tracesUrl });
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': settings.serviceName })),
    // Batched off the request path; OTEL_BSP_SCHEDULE_DELAY and the other OTEL_BSP_* tune it.
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // The async-hooks context manager: a query's span finds the operation's span as its parent.
  provider.register();

  // Prisma 7 records the SQL text with its placeholders, never the parameters' values.
  const prisma = new PrismaInstrumentation();
  prisma.setTracerProvider(provider);
  prisma.enable();

  const tracer = provider.getTracer('auth-api');
  return {
    graphqlPlugin: () =>
      useOpenTelemetry(
        // No variables, no result, no document (a literal argument would be a password), and
        // no span per resolver: one per operation is what an operator reads.
        { variables: false, result: false, document: false, resolvers: false },
        withoutErrorMessages(provider),
        undefined,
        undefined,
        settings.serviceName,
      ) as Plugin,
    traceSessionLookup: (lookup) => traceSessionLookup(lookup, tracer),
    shutdown: async () => {
      prisma.disable();
      await provider.shutdown();
    },
  };
}

/**
 * @envelop/opentelemetry records a failed operation's errors as JSON, before yoga masks them:
 * an unexpected error's raw message could quote a value. The span keeps its error status and
 * the count; the messages stay in the log, where the error mapper already writes them.
 */
function withoutErrorMessages(provider: TracerProvider): TracerProvider {
  return {
    getTracer(name, version, options) {
      const tracer = provider.getTracer(name, version, options);
      const startSpan: Tracer['startSpan'] = (spanName, spanOptions, context) => {
        const span = tracer.startSpan(spanName, spanOptions, context);
        span.recordException = (exception) => span.setAttribute('graphql.error.count', errorCountOf(exception));
        return span;
      };
      return { ...tracer, startSpan, startActiveSpan: tracer.startActiveSpan.bind(tracer) } as Tracer;
    },
  };
}

function errorCountOf(exception: Parameters<Span['recordException']>[0]): number {
  if (typeof exception !== 'object' || exception === null || !('message' in exception)) return 1;
  try {
    const errors: unknown = JSON.parse(String(exception.message));
    return Array.isArray(errors) ? errors.length : 1;
  } catch {
    return 1;
  }
}
