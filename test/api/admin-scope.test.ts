// Every operators' field of the printed schema refuses a plain user (FORBIDDEN) and a caller
// without a session (UNAUTHENTICATED), and does nothing for them. The fields are found by their
// description (schema/admin.ts, ADMIN_ONLY), and checked against the contract's list, so a new
// admin field without the marker, or a marker without the scope, fails here.
import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, isEnumType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ADMIN_ONLY } from '../../src/schema/admin.ts';
import { createTestApp, errorOf } from '../helpers/app.ts';
import { bob } from '../helpers/operations.ts';

const printed = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const CONTRACT_ADMIN_FIELDS = [
  'Query.users',
  'Mutation.disableUser',
  'Mutation.enableUser',
  'Mutation.revokeUserSessions',
  'Mutation.setUserRole',
  'Mutation.deleteUser',
];

function adminFields(): Array<{ root: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }> {
  const roots: Array<['query' | 'mutation', GraphQLObjectType | null | undefined]> = [
    ['query', printed.getQueryType()],
    ['mutation', printed.getMutationType()],
  ];
  return roots.flatMap(([root, type]) =>
    Object.values(type?.getFields() ?? {})
      .filter((field) => field.description?.startsWith(ADMIN_ONLY))
      .map((field) => ({ root, field })),
  );
}

/** A document calling `field` with a made-up value for each argument, selecting one scalar. */
function documentFor(root: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, victimId: string): string {
  const args = field.args
    .filter((arg) => isNonNullType(arg.type))
    .map((arg) => {
      const type = getNamedType(arg.type);
      if (isEnumType(type)) return `${arg.name}: ${type.getValues().at(-1)!.name}`;
      return `${arg.name}: ${type.name === 'Int' ? '1' : JSON.stringify(victimId)}`;
    });
  const type = getNamedType(field.type);
  const selection = isObjectType(type) ? '{ pageInfo { hasNextPage } }' : '';
  return `${root} { ${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''} ${selection} }`;
}

describe('the admin scope', () => {
  const fields = adminFields();

  it("marks exactly the contract's operators' fields", () => {
    const names = fields.map(({ root, field }) => `${root === 'query' ? 'Query' : 'Mutation'}.${field.name}`);
    expect(names.sort()).toEqual([...CONTRACT_ADMIN_FIELDS].sort());
  });

  it.each(fields.map(({ root, field }) => [field.name, root, field] as const))(
    '%s refuses a plain user with FORBIDDEN and no session with UNAUTHENTICATED, and changes nothing',
    async (_name, root, field) => {
      const api = await createTestApp();
      const victim = await api.signedIn(bob);
      const plain = await api.signedIn();
      const before = JSON.stringify(await api.prisma.user.findMany({ orderBy: { email: 'asc' } }));
      const sessionsBefore = await api.prisma.session.count();
      const document = documentFor(root, field, victim.user.id);

      expect(errorOf(await plain.gql(document))).toEqual({ code: 'FORBIDDEN' });
      expect(errorOf(await api.agent().gql(document))).toEqual({ code: 'UNAUTHENTICATED' });
      expect(JSON.stringify(await api.prisma.user.findMany({ orderBy: { email: 'asc' } }))).toBe(before);
      expect(await api.prisma.session.count()).toBe(sessionsBefore);
    },
  );
});
