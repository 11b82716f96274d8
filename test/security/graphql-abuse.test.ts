import { request as httpRequest } from 'node:http';
import bcrypt from 'bcrypt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, errorOf, type HasErrors } from '../helpers/app.ts';
import { Register, ada } from '../helpers/operations.ts';
import { listen } from '../helpers/server.ts';
import { productionEnv } from '../helpers/production.ts';

afterEach(() => vi.restoreAllMocks());

describe('one credential field per request', () => {
  it('refuses fifty aliased logins before any of them runs', async () => {
    const api = await createTestApp({ GRAPHQL_MAX_ALIASES: '100' });
    await api.gql(Register, ada);
    const compare = vi.spyOn(bcrypt, 'compare');
    const guesses = Array.from({ length: 50 }, (_, i) => `g${i}: login(email: "${ada.email}", password: "guess number ${i}") { id }`);
    const response = await api.gql(`mutation { ${guesses.join('\n')} }`);
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(response.errors?.[0]?.message).toMatch(/only one of login/);
    expect(compare).not.toHaveBeenCalled();
    expect(await api.prisma.session.count()).toBe(0);
    expect(api.logs.lines.filter((l) => l.event === 'login')).toEqual([]);
  });

  it.each([
    [
      'two different credential fields',
      `mutation { register(email: "x@example.com", password: "a passphrase here") { id } login(email: "x@example.com", password: "a passphrase here") { id } }`,
    ],
    [
      'the same field reached through a fragment twice',
      `mutation { ...Guess ...Guess } fragment Guess on Mutation { login(email: "a@example.com", password: "guess guess") { id } }`,
    ],
    [
      'a fragment and an inline fragment',
      `mutation { ...Guess ... on Mutation { requestPasswordReset(email: "a@example.com") } } fragment Guess on Mutation { login(email: "a@example.com", password: "guess guess") { id } }`,
    ],
  ])('refuses %s with 400 GRAPHQL_VALIDATION_FAILED and runs nothing', async (_name, query) => {
    const api = await createTestApp();
    const response = await api.gql(query);
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(await api.prisma.user.count()).toBe(0);
  });

  it.each([
    ['changeEmail', (i: number) => `c${i}: changeEmail(newEmail: "n${i}@example.com", currentPassword: "guess number ${i}")`],
    ['deleteAccount', (i: number) => `d${i}: deleteAccount(currentPassword: "guess number ${i}")`],
    ['verifyEmail', (i: number) => `v${i}: verifyEmail(token: "${String(i).padStart(43, 'A')}")`],
    ['registerPasskey', (i: number) => `r${i}: registerPasskey(response: { id: "${i}" }) { id }`],
    ['loginWithPasskey', (i: number) => `l${i}: loginWithPasskey(response: { id: "${i}" }) { id }`],
  ])('refuses two aliased %s fields in one request before either runs', async (_field, field) => {
    const api = await createTestApp();
    const browser = await api.signedIn();
    const compare = vi.spyOn(bcrypt, 'compare');
    const response = await browser.gql(`mutation { ${field(1)} ${field(2)} }`);
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(compare).not.toHaveBeenCalled();
  });

  it('lets a document with a single credential field through', async () => {
    const api = await createTestApp();
    const response = await api.gql(`mutation { register(email: "x@example.com", password: "a passphrase here") { id } }`);
    expect(response.status).toBe(200);
    expect(await api.prisma.user.count()).toBe(1);
  });
});

describe('batching', () => {
  it('refuses an array of operations with BAD_REQUEST and runs none of them', async () => {
    const api = await createTestApp();
    const one = { query: `mutation { register(email: "a@example.com", password: "a passphrase here") { id } }` };
    const response = await api.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([one, { ...one, query: one.query.replace('a@', 'b@') }]),
    });
    expect(response.status).toBe(400);
    expect(errorOf((await response.json()) as HasErrors)).toEqual({ code: 'BAD_REQUEST' });
    expect(await api.prisma.user.count()).toBe(0);
  });
});

describe('document limits', () => {
  it('refuses 11 aliases with 400 GRAPHQL_VALIDATION_FAILED and lets 10 through', async () => {
    const api = await createTestApp();
    const aliases = Array.from({ length: 11 }, (_, i) => `a${i}: me { id }`).join(' ');
    const response = await api.gql(`{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(response.errors?.[0]?.message).toMatch(/Aliases limit of 10 exceeded/);
    expect((await api.gql(`{ ${aliases.split(' a10')[0]} }`)).status).toBe(200);
  });

  it('refuses documents deeper than GRAPHQL_MAX_DEPTH, through fragments too, with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    // The schema itself is two levels deep; the limit guards what grows into it.
    const api = await createTestApp({ GRAPHQL_MAX_DEPTH: '1' });
    for (const query of ['{ sessions { id } }', '{ ...F } fragment F on Query { me { id } }']) {
      const response = await api.gql(query);
      expect(response.status).toBe(400);
      expect(errorOf(response)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
      expect(response.errors?.[0]?.message).toMatch(/depth limit of 1/i);
    }
    expect((await api.gql('{ __typename }')).status).toBe(200);
  });

  it('refuses 11 directives with 400', async () => {
    const api = await createTestApp();
    const query = `{ me @include(if: true) { ${Array.from({ length: 11 }, () => 'id @include(if: true)').join(' ')} } }`;
    const response = await api.gql(query);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toMatch(/Directives limit of 10 exceeded/);
  });

  it('refuses more than 1000 tokens with 400 GRAPHQL_VALIDATION_FAILED, not a syntax error', async () => {
    const api = await createTestApp();
    const query = `{ me { ${Array(1100).fill('id').join(' ')} } }`;
    const response = await api.gql(query);
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(response.errors?.[0]?.message).toMatch(/more than 1000 tokens/);
  });

  it('refuses a body over 100 KB with 413, whether or not it declares its length', async () => {
    const api = await createTestApp();
    const url = await listen(api);
    const big = JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(120_000)}` });
    const declared = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(errorOf((await declared.json()) as HasErrors)).toEqual({ code: 'BAD_REQUEST' });

    // Chunked, with no Content-Length: counted while read.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        `${url}/graphql`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < big.length; i += 16_384) req.write(big.slice(i, i + 16_384));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(chunked.body).toContain('BAD_REQUEST');
  });
});

describe('production defaults', () => {
  it('turn off introspection, field suggestions and GraphiQL', async () => {
    const api = await createTestApp(productionEnv);
    const introspection = await api.gql('{ __schema { types { name } } }');
    expect(introspection.status).toBe(400);
    expect(errorOf(introspection)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });

    const typo = await api.gql('{ mee { id } }');
    expect(errorOf(typo)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);

    const page = await api.yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('GraphiQL');
  });

  it('give introspection and suggestions back with GRAPHQL_INTROSPECTION=true', async () => {
    const api = await createTestApp({ ...productionEnv, GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: 'true' });
    expect((await api.gql('{ __schema { queryType { name } } }')).status).toBe(200);
    expect((await api.gql('{ mee { id } }')).errors?.[0]?.message).toMatch(/Did you mean "me"/);
  });

  it('outside production, answer a misspelt field with a "Did you mean" suggestion', async () => {
    const api = await createTestApp();
    expect((await api.gql('{ mee { id } }')).errors?.[0]?.message).toMatch(/Did you mean "me"/);
  });
});
