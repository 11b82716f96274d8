import type { Session as PrismaSession } from '../generated/prisma/client.ts';
import { builder } from './builder.ts';

// Select mode, as User (user.ts): the id, and the columns of the fields the client asked for.
export const Session = builder.prismaObject('Session', {
  select: { id: true },
  fields: (t) => ({
    id: t.exposeID('id', { description: 'A public id, never the secret token' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    current: t.boolean({
      description: 'True for the session that made this request',
      resolve: async (session, _args, ctx) => (await ctx.getSession())?.session.id === session.id,
    }),
  }),
});

// A prismaField, so the one query that lists the sessions reads what the client selected; a plain
// field would have Pothos load every session again by id.
builder.queryField('sessions', (t) =>
  t.prismaField({
    type: [Session],
    description: "The caller's live sessions",
    resolve: async (query, _root, _args, ctx) => (await ctx.auth.listSessions(await ctx.requireSession(), query)) as PrismaSession[],
  }),
);

builder.mutationField('revokeSession', (t) =>
  t.boolean({
    description: "Ends one of the caller's sessions; false for an unknown id or another user's session",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const current = await ctx.requireSession();
      const revoked = await ctx.auth.revokeSession(current, String(args.id), ctx.clientInfo);
      if (revoked && String(args.id) === current.session.id) await ctx.cookies.clearSession();
      return revoked;
    },
  }),
);

builder.mutationField('logoutEverywhere', (t) =>
  t.int({
    description: "Ends all the caller's sessions; returns how many",
    resolve: async (_root, _args, ctx) => {
      const count = await ctx.auth.logoutEverywhere(await ctx.requireSession(), ctx.clientInfo);
      await ctx.cookies.clearSession();
      return count;
    },
  }),
);
