import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { ForbiddenError } from '../auth/errors.ts';
import type { Context } from '../context.ts';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: { DateTime: { Input: Date; Output: Date }; JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
  AuthScopes: { admin: boolean };
}>({
  // Scope auth first, so a refused field resolves nothing (Pothos wraps plugins in order).
  plugins: [ScopeAuthPlugin, PrismaPlugin],
  // Who may call the operators' operations is decided here and only here: a field with
  // `authScopes: { admin: true }` needs a session (UNAUTHENTICATED otherwise: requireSession
  // throws) whose user is an administrator now (FORBIDDEN otherwise). The role comes from the
  // per-request session lookup, so a demotion counts from the session's next request.
  scopeAuth: {
    authScopes: (ctx) => ({
      admin: async () => (await ctx.requireSession()).user.role === 'ADMIN',
    }),
    unauthorizedError: () => new ForbiddenError(),
  },
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    onUnusedQuery: null,
  },
});

builder.scalarType('DateTime', {
  description: 'ISO-8601 date and time, in UTC',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime must be an ISO-8601 string');
    return date;
  },
});

builder.queryType({});
builder.mutationType({});
