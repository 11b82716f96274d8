// API.md: requests refused before anything executes keep a protocol code and an HTTP 4xx status,
// and a client's mistake is not the server's: no error-level log line (pino level 50) for it.
import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp } from '../helpers/app.ts';

const LOGIN = 'mutation Login($e: String!, $p: String!) { login(email: $e, password: $p) { id } }';

async function getGraphql(api: TestApp, params: Record<string, string>) {
  const response = await api.yoga.fetch(`http://localhost/graphql?${new URLSearchParams(params)}`, {
    headers: { accept: 'application/json' },
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> },
  };
}

async function postGraphql(api: TestApp, body: unknown) {
  const response = await api.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> },
  };
}

describe('refusals keep their status', () => {
  it.each(['variables', 'extensions'])('GET with malformed JSON in %s answers 400 BAD_REQUEST, logging no error', async (param) => {
    const api = await createTestApp();
    const { status, body } = await getGraphql(api, { query: '{ me { id } }', [param]: '{bad' });
    expect(status).toBe(400);
    expect(body.errors).toHaveLength(1);
    expect(errorOf(body)).toEqual({ code: 'BAD_REQUEST' });
    expect(body.data).toBeUndefined();
    expect(api.logs.errorLines()).toEqual([]);
  });

  it('GET with variables that are JSON but not an object answers 400 BAD_REQUEST, logging no error', async () => {
    const api = await createTestApp();
    const { status, body } = await getGraphql(api, { query: '{ me { id } }', variables: '[1]' });
    expect(status).toBe(400);
    expect(errorOf(body)).toEqual({ code: 'BAD_REQUEST' });
    expect(api.logs.errorLines()).toEqual([]);
  });

  it.each([
    ['a number', 42],
    ['an object', { $ne: '' }],
    ['a list', ['ada@example.com']],
  ])('a String! variable given %s answers 400 BAD_USER_INPUT naming the variable, before anything runs', async (_kind, value) => {
    const api = await createTestApp();
    const { status, body } = await postGraphql(api, { query: LOGIN, variables: { e: value, p: 'correct horse battery' } });
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(errorOf(body)).toEqual({ code: 'BAD_USER_INPUT', field: 'e' });
    expect(body.errors?.[0]?.message).toMatch(/\$e/);
    expect(body.errors).toHaveLength(1);
    expect(api.logs.errorLines()).toEqual([]);
    expect(await api.prisma.session.count()).toBe(0);
  });

  it('a missing required variable answers 400 BAD_USER_INPUT naming it', async () => {
    const api = await createTestApp();
    const { status, body } = await postGraphql(api, { query: LOGIN, variables: { e: 'ada@example.com' } });
    expect(status).toBe(400);
    expect(errorOf(body)).toEqual({ code: 'BAD_USER_INPUT', field: 'p' });
    expect(api.logs.errorLines()).toEqual([]);
  });

  it('a well-typed request runs: 200 and INVALID_CREDENTIALS for an email without an account', async () => {
    const api = await createTestApp();
    const { status, body } = await postGraphql(api, { query: LOGIN, variables: { e: 'ada@example.com', p: 'correct horse battery' } });
    expect(status).toBe(200);
    expect(errorOf(body)).toEqual({ code: 'INVALID_CREDENTIALS' });
  });
});
