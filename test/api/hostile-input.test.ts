// Property: every string argument of every operation in the schema, fed hostile text, answers a
// contract error (or a clear 4xx), never INTERNAL_SERVER_ERROR. The operations are read from the
// schema object, so one added later is fed too. Text holding a refused character (SECURITY.md,
// "Input rules") is refused as BAD_USER_INPUT naming that argument; the generators know which
// text holds one, so the oracle does not reuse the code under test.
import fc from 'fast-check';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  getNamedType,
  isCompositeType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { createTestApp, errorOf, type TestApp } from '../helpers/app.ts';
import { ada } from '../helpers/operations.ts';

/** Every code API.md names (both waves), and BAD_REQUEST for a refused request. */
const CONTRACT_CODES = new Set([
  'BAD_USER_INPUT',
  'EMAIL_TAKEN',
  'INVALID_CREDENTIALS',
  'UNAUTHENTICATED',
  'INVALID_TOKEN',
  'RATE_LIMITED',
  'EMAIL_NOT_VERIFIED',
  'MFA_REQUIRED',
  'INVALID_CODE',
  'ACCOUNT_DISABLED',
  'FORBIDDEN',
  'BAD_REQUEST',
]);
const MAX_BODY_BYTES = 102_400; // the default, API.md's "body over the size limit"

interface Hostile {
  text: string;
  refused: boolean;
}

const refusedCharacter = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u0007',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u007f', // C0 and DEL
  '\u0080',
  '\u0085',
  '\u009f', // C1
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF', // lone surrogates
  '\uFEFF',
  '\u200B',
  '\u200D',
  '\u202E',
  '\u2066',
  '\u00AD',
  '\u{E0001}', // format
  '\uE000',
  '\uF8FF',
  '\u{F0000}', // private use
  '\u0378',
  '\uFFFE',
  '\uFFFF',
  '\u{10FFFF}', // unassigned and noncharacters
);
const cleanText = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 3 }), fc.constantFrom('é', 'e\u0301', 'ß', 'Ω', '密', '😀', '@', '.')), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));
const hostile: fc.Arbitrary<Hostile> = fc.oneof(
  // Joined with a letter: a lone high surrogate right before a lone low one would make a valid pair.
  fc
    .tuple(cleanText, fc.array(refusedCharacter, { minLength: 1, maxLength: 3 }), cleanText)
    .map(([a, bad, b]) => ({ text: a + bad.join('x') + b, refused: true })),
  fc.constantFrom<Hostile>(
    { text: 'a\u0000b@example.com', refused: true },
    { text: `${ada.email}\u0000`, refused: true },
    { text: `${'a'.repeat(20_000)}\u0000`, refused: true },
    { text: `${'x'.repeat(200_000)}\uD800`, refused: true }, // over the body limit
    { text: 'a'.repeat(20_000), refused: false },
    { text: `${'a'.repeat(5_000)}@example.com`, refused: false },
    { text: '😀'.repeat(5_000), refused: false },
    { text: '', refused: false },
  ),
);

/** A value of the type whose string leaves are all `leaf`; null when the type holds no string. */
function sampleValueOf(type: GraphQLInputType, leaf: string): unknown {
  if (type instanceof GraphQLNonNull) return sampleValueOf(type.ofType, leaf);
  if (type instanceof GraphQLList) {
    const item = sampleValueOf(type.ofType, leaf);
    return item === null ? null : [item];
  }
  if (type instanceof GraphQLInputObjectType) {
    const entries = Object.values(type.getFields()).map((f) => [f.name, sampleValueOf(f.type, leaf)] as const);
    return entries.some(([, v]) => v !== null) ? Object.fromEntries(entries.filter(([, v]) => v !== null)) : null;
  }
  if (type instanceof GraphQLEnumType || (type instanceof GraphQLScalarType && ['Int', 'Float', 'Boolean'].includes(type.name)))
    return null;
  // JSON takes any value: the text as a key and inside a nested list, where only a walk of the
  // whole value finds it (and as a bare string, below, for the other half of the runs).
  if (type instanceof GraphQLScalarType && type.name === 'JSON' && leaf.length % 2 === 0) return { [leaf]: { response: [leaf] } };
  return leaf; // String, ID and custom scalars (DateTime, JSON) take text
}

function benignValueOf(type: GraphQLInputType): unknown {
  const named = getNamedType(type);
  if (named instanceof GraphQLEnumType) return named.getValues()[0]!.value;
  if (named.name === 'Int' || named.name === 'Float') return 1;
  if (named.name === 'Boolean') return true;
  return sampleValueOf(type, 'benign text 1') ?? null;
}

interface Target {
  kind: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  argument: GraphQLArgument;
}

function targetsOf(kind: Target['kind'], root: GraphQLObjectType | null | undefined): Target[] {
  return Object.values(root?.getFields() ?? {}).flatMap((field) =>
    field.args.filter((argument) => sampleValueOf(argument.type, 'x') !== null).map((argument) => ({ kind, field, argument })),
  );
}

const targets = [...targetsOf('query', schema.getQueryType()), ...targetsOf('mutation', schema.getMutationType())];

function documentOf({ kind, field }: Target): string {
  const definitions = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind} Hostile(${definitions}) { ${field.name}(${call})${selection} }`;
}

async function send(api: TestApp, cookie: string | null, query: string, variables: Record<string, unknown>) {
  const body = JSON.stringify({ query, variables });
  const response = await api.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie === null ? {} : { cookie: `session=${cookie}` }) },
    body,
  });
  const result = (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> };
  return { status: response.status, bodyBytes: Buffer.byteLength(body), errors: result.errors ?? [] };
}

describe('hostile text in every string argument', () => {
  it('feeds register.email, revokeSession.id and resetPassword.token among the text arguments it finds', () => {
    expect(targets.map((t) => `${t.field.name}.${t.argument.name}`)).toEqual(
      expect.arrayContaining(['register.email', 'revokeSession.id', 'resetPassword.token']),
    );
  });

  it.each(targets.map((t) => [`${t.field.name}(${t.argument.name})`, t] as const))(
    '%s answers a contract error, never INTERNAL_SERVER_ERROR',
    async (_name, target) => {
      const api = await createTestApp();
      const { cookie } = await api.signedIn(); // so operations that need a session reach their rules too
      const query = documentOf(target);
      await fc.assert(
        fc.asyncProperty(hostile, async ({ text, refused }) => {
          const usersBefore = await api.prisma.user.count();
          const variables = Object.fromEntries(
            target.field.args.map((a) => [a.name, a === target.argument ? sampleValueOf(a.type, text) : benignValueOf(a.type)]),
          );
          const { status, bodyBytes, errors } = await send(api, cookie, query, variables);
          const codes = errors.map((e) => e.extensions?.code);
          expect(status).toBeLessThan(500);
          expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
          for (const code of codes) expect(CONTRACT_CODES).toContain(code);
          if (bodyBytes > MAX_BODY_BYTES) {
            expect([status, codes]).toEqual([413, ['BAD_REQUEST']]);
          } else if (refused) {
            expect(errors).toHaveLength(1);
            expect(errorOf({ errors })).toEqual({ code: 'BAD_USER_INPUT', field: target.argument.name });
            expect(await api.prisma.user.count()).toBe(usersBefore);
          }
        }),
        { numRuns: 40 },
      );
    },
  );
});
