// The one map from domain errors to the contract's GraphQL errors (API.md, "Errors").
import { GraphQLError } from 'graphql';
import { AuthError, InvalidInputError, RateLimitedError } from '../auth/errors.ts';

export function toGraphQLError(error: AuthError, at: unknown): GraphQLError {
  const extensions: Record<string, unknown> = { code: error.code };
  if (error instanceof InvalidInputError) extensions.field = error.field;
  if (error instanceof RateLimitedError) extensions.retryAfter = error.retryAfterSeconds;
  const located = at instanceof GraphQLError ? at : null;
  return new GraphQLError(error.message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions,
  });
}
