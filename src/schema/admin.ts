// The operators' operations (API.md, "Operators"). Every field here carries
// `authScopes: { admin: true }`, the one check (builder.ts): UNAUTHENTICATED without a session,
// FORBIDDEN for a user who is not an administrator. Each description starts with ADMIN_ONLY,
// which test/api/admin-scope.test.ts uses to walk every such field of the printed schema.
import type { User as PrismaUser } from '../generated/prisma/client.ts';
import type { UserRecord } from '../auth/records.ts';
import { builder } from './builder.ts';
import { Role, User } from './user.ts';

export const ADMIN_ONLY = 'Administrators only.';

interface UserEdgeShape {
  cursor: string;
  node: UserRecord;
}

const UserEdge = builder.objectRef<UserEdgeShape>('UserEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    // The row already holds every column User exposes (admin-repository.ts, userFields).
    node: t.field({ type: User, resolve: (edge) => edge.node as unknown as PrismaUser }),
  }),
});

const PageInfo = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

const UserConnection = builder
  .objectRef<{ edges: UserEdgeShape[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>('UserConnection')
  .implement({
    fields: (t) => ({
      edges: t.field({ type: [UserEdge], resolve: (connection) => connection.edges }),
      pageInfo: t.field({ type: PageInfo, resolve: (connection) => connection.pageInfo }),
    }),
  });

builder.queryField('users', (t) =>
  t.field({
    type: UserConnection,
    authScopes: { admin: true },
    description: `${ADMIN_ONLY} Accounts whose email contains \`search\` (case-insensitive), oldest first; \`first\` at most 100 (default 20), \`after\` a cursor of a previous page`,
    args: { search: t.arg.string(), first: t.arg.int(), after: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const page = await ctx.admin.listUsers(args);
      const edges = page.users.map(({ user, cursor }) => ({ cursor, node: user }));
      return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  }),
);

builder.mutationField('disableUser', (t) =>
  t.boolean({
    authScopes: { admin: true },
    description: `${ADMIN_ONLY} Ends every session of the user at once; proving its credentials then answers ACCOUNT_DISABLED. False for an unknown id`,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => ctx.admin.disableUser(await ctx.requireSession(), String(args.id), ctx.clientInfo),
  }),
);

builder.mutationField('enableUser', (t) =>
  t.boolean({
    authScopes: { admin: true },
    description: `${ADMIN_ONLY} Lets a disabled user log in again. False for an unknown id`,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => ctx.admin.enableUser(await ctx.requireSession(), String(args.id), ctx.clientInfo),
  }),
);

builder.mutationField('revokeUserSessions', (t) =>
  t.int({
    authScopes: { admin: true },
    description: `${ADMIN_ONLY} Ends every session of the user; returns how many`,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => ctx.admin.revokeUserSessions(await ctx.requireSession(), String(args.id), ctx.clientInfo),
  }),
);

builder.mutationField('setUserRole', (t) =>
  t.boolean({
    authScopes: { admin: true },
    description: `${ADMIN_ONLY} Sets the user's role, from its next request on; not one's own. False for an unknown id`,
    args: { id: t.arg.id({ required: true }), role: t.arg({ type: Role, required: true }) },
    resolve: async (_root, args, ctx) => ctx.admin.setUserRole(await ctx.requireSession(), String(args.id), args.role, ctx.clientInfo),
  }),
);

builder.mutationField('deleteUser', (t) =>
  t.boolean({
    authScopes: { admin: true },
    description: `${ADMIN_ONLY} Removes the user and everything of theirs; not one's own account. False for an unknown id`,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => ctx.admin.deleteUser(await ctx.requireSession(), String(args.id), ctx.clientInfo),
  }),
);
