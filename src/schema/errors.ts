// The one map from domain errors to the contract's GraphQL errors (API.md, "Errors").
import { GraphQLError } from 'graphql';
import { AuthError, InvalidInputError, MfaRequiredError, RateLimitedError } from '../auth/errors.ts';

export function toGraphQLError(error: AuthError, at: unknown): GraphQLError {
  const extensions: Record<string, unknown> = { code: error.code };
  if (error instanceof InvalidInputError) extensions.field = error.field;
  if (error instanceof RateLimitedError) extensions.retryAfter = error.retryAfterSeconds;
  if (error instanceof MfaRequiredError) extensions.methods = [...error.methods];
  return locatedLike(at, error.message, extensions);
}

/** A new error at the same place in the document as `at` (locations and path kept). */
export function locatedLike(at: unknown, message: string, extensions: Record<string, unknown>): GraphQLError {
  const located = at instanceof GraphQLError ? at : null;
  return new GraphQLError(message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions,
  });
}
