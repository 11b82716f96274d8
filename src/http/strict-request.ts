// What a POST to /graphql may be, decided before anything is parsed or executed:
// - a JSON body only (application/json or application/graphql-response+json). Form, multipart
//   and text/plain bodies are what a cross-site <form> or a "simple" fetch can send without a
//   CORS preflight, so refusing them closes that CSRF route (graphql-yoga accepts them by
//   default);
// - one operation: a JSON array (batch) would let one request carry many guesses;
// - at most maxBodyBytes, counted while reading, so a client cannot make the server buffer an
//   unbounded body by leaving out Content-Length.
// A GET's `variables` and `extensions` are JSON in the query string: graphql-yoga parses them with
// a bare JSON.parse, so malformed JSON became an unexpected error (500-style, logged with a stack).
// It is the client's mistake, and answers 400 BAD_REQUEST like a malformed POST body.
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';

const JSON_MEDIA_TYPES = new Set(['application/json', 'application/graphql-response+json']);

function badRequest(message: string, status: number) {
  return createGraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status } } });
}

function mediaTypeOf(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

async function readBodyWithin(request: Request, maxBytes: number): Promise<string> {
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw badRequest(`Request body is larger than ${maxBytes} bytes.`, 413);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function toParams(body: unknown): GraphQLParams {
  if (Array.isArray(body)) throw badRequest('Batched requests are not supported: send one operation per request.', 400);
  if (typeof body !== 'object' || body === null) throw badRequest('The body must be a JSON object.', 400);
  const { query, variables, operationName, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string') throw badRequest('The body must carry a "query" string.', 400);
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    throw badRequest('"variables" must be an object.', 400);
  }
  if (operationName != null && typeof operationName !== 'string') throw badRequest('"operationName" must be a string.', 400);
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: (operationName ?? undefined) as string | undefined,
    extensions: (extensions ?? undefined) as Record<string, unknown> | undefined,
  };
}

function parseJsonParam(params: URLSearchParams, name: string): unknown {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(`The "${name}" parameter is not valid JSON.`, 400);
  }
}

/** The same parameters graphql-yoga reads from a GET, with malformed JSON refused as the client's. */
function parseGetRequest(request: Request): GraphQLParams {
  const params = new URL(request.url).searchParams;
  const variables = parseJsonParam(params, 'variables');
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    throw badRequest('"variables" must be an object.', 400);
  }
  return {
    query: params.get('query') || undefined,
    operationName: params.get('operationName') || undefined,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    extensions: (parseJsonParam(params, 'extensions') ?? undefined) as Record<string, unknown> | undefined,
  };
}

export function useStrictRequests(options: { maxBodyBytes: number }): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method === 'GET') {
        setRequestParser(parseGetRequest);
        return;
      }
      if (request.method !== 'POST') return;
      if (!JSON_MEDIA_TYPES.has(mediaTypeOf(request))) {
        throw badRequest('Send the request as JSON with Content-Type: application/json.', 415);
      }
      const declared = Number(request.headers.get('content-length') ?? '0');
      if (declared > options.maxBodyBytes) throw badRequest(`Request body is larger than ${options.maxBodyBytes} bytes.`, 413);
      setRequestParser(async (req) => {
        const text = await readBodyWithin(req, options.maxBodyBytes);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw badRequest('The body is not valid JSON.', 400);
        }
        return toParams(body);
      });
    },
  };
}
