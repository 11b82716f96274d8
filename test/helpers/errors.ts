// One reader for the contract's error envelope (API.md, "Errors"), so a test asserts the whole
// envelope, `{ code: 'BAD_USER_INPUT', field: 'email' }`, instead of picking fields one by one.

/** Anything that carries GraphQL errors: a fixture result, an HTTP client's result, a raw body. */
export interface HasErrors {
  errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> | null | undefined;
}

/** The first error's extensions: code plus what the contract adds (field, retryAfter, methods…). */
export interface ErrorEnvelope {
  code: string;
  field?: string;
  retryAfter?: number;
  [extension: string]: unknown;
}

/**
 * The first error's extensions as one object, or null when the result has no error (so
 * `expect(errorOf(result)).toBeNull()` asserts a success). An error without a code is reported
 * with `code: undefined`, which no contract envelope equals.
 */
export function errorOf(result: HasErrors): ErrorEnvelope | null {
  const first = result.errors?.[0];
  if (first === undefined) return null;
  return { ...(first.extensions ?? {}), code: first.extensions?.code as string };
}

/** The first error's code. Kept for tests written before errorOf; prefer `errorOf(result)`. */
export function codeOf(result: HasErrors): unknown {
  return result.errors?.[0]?.extensions?.code;
}
