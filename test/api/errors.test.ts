import { describe, expect, it } from 'vitest';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { Login, Register, ada } from '../helpers/operations.ts';
import { productionEnv } from '../helpers/production.ts';

describe('unexpected errors', () => {
  it.each<Record<string, string>>([{}, productionEnv])(
    'reach the client as a generic INTERNAL_SERVER_ERROR, with the detail in the server log only (%j)',
    async (env) => {
      const api = await createTestApp(env);
      await api.gql(Register, ada);
      await api.prisma.$executeRawUnsafe('DROP TABLE "Session"');

      const response = await api.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { id } }',
          variables: ada,
        }),
      });
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        data: null,
        errors: [
          { message: 'Unexpected error.', locations: expect.any(Array), path: ['login'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        ],
      });
      expect(text).not.toMatch(/Session|SQL|stack|at .*\.ts|prisma/i);
      expect(text).not.toContain(ada.password);

      const logged = api.logs.lines.find((l) => l.msg === 'unexpected error') as { err: { message: string } } | undefined;
      expect(logged?.err.message).toMatch(/Session/);
      expect(api.logs.text()).not.toContain(ada.password);
    },
  );

  it('leave parse and validation errors to graphql-yoga: 400 with its codes, a missing variable named', async () => {
    const api = await createTestApp();
    const parse = await api.gql('{ me { id ');
    expect(parse.status).toBe(400);
    expect(errorOf(parse)).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
    const invalid = await api.gql('{ me { password } }');
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    const missing = await api.gql(Login, { email: ada.email } as never);
    expect(missing.status).toBe(400);
    expect(errorOf(missing)).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });
    expect(missing.errors?.[0]?.message).toMatch(/password/);
  });
});
