import { builder } from './builder.ts';

export const Session = builder.prismaObject('Session', {
  select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, userAgent: true },
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

builder.queryField('sessions', (t) =>
  t.field({
    type: [Session],
    description: "The caller's live sessions",
    resolve: async (_root, _args, ctx) => ctx.auth.listSessions(await ctx.requireSession()),
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
