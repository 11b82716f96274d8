// The session lookup runs on the driver, not through Prisma (db/session-lookup.ts), so Prisma's
// instrumentation does not see it: this gives it the span every other query has. The token
// hash it is called with is never put on the span.
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { SessionLookup } from '../db/session-lookup.ts';

export function traceSessionLookup(lookup: SessionLookup, tracer: Tracer): SessionLookup {
  return {
    ...lookup,
    findByTokenHash: (tokenHash) =>
      tracer.startActiveSpan(
        'db.session_lookup',
        { kind: SpanKind.CLIENT, attributes: { 'db.operation.name': 'SELECT' } },
        async (span) => {
          try {
            return await lookup.findByTokenHash(tokenHash);
          } catch (error) {
            span.setStatus({ code: SpanStatusCode.ERROR });
            throw error;
          } finally {
            span.end();
          }
        },
      ),
  };
}
