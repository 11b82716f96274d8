// API.md: a request refused before anything executes (parse or validation failure) answers
// with an HTTP 4xx status. graphql-yoga sends such errors with status 200 to clients that
// accept only application/json, the GraphQL-over-HTTP spec's legacy mode, by marking them
// `http.spec`; this plugin drops that mark so the 400 holds for every client.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

interface HttpExtension {
  spec?: boolean;
  status?: number;
}

function withoutSpecMark(error: GraphQLError): GraphQLError {
  const http = error.extensions.http as HttpExtension | undefined;
  if (!http?.spec) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, http: { ...http, spec: false } },
  });
}

export function useRefusalStatus(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      const single = result as { errors?: readonly GraphQLError[]; data?: unknown };
      if (!single.errors || single.data !== undefined) return;
      setResult({ ...single, errors: single.errors.map(withoutSpecMark) });
    },
  };
}
