import type { User as PrismaUser } from '../generated/prisma/client.ts';
import { builder } from './builder.ts';

export const User = builder.prismaObject('User', {
  select: { id: true, email: true, createdAt: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email', { description: 'Normalised: trimmed, lower-cased, Unicode NFC, the domain in its ASCII (IDNA) form' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

// prismaField, not field: the service already loaded the user with the type's selection, and
// through a prismaField Pothos knows it; through a plain field it would load the user again
// (a second query, behind a setTimeout) on every request.
builder.queryField('me', (t) =>
  t.prismaField({
    type: User,
    nullable: true,
    description: 'The caller, or null when the request carries no valid session',
    // The record holds exactly the type's selection (id, email, createdAt); Pothos types a
    // prismaField's result as the whole model, but reads only the selected fields.
    resolve: async (_query, _root, _args, ctx) => ((await ctx.getSession())?.user ?? null) as PrismaUser | null,
  }),
);

builder.mutationField('register', (t) =>
  t.field({
    type: User,
    description: 'Creates the account; starts no session',
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => ctx.auth.register(args, ctx.clientInfo),
  }),
);

builder.mutationField('login', (t) =>
  t.field({
    type: User,
    description: 'Starts a new session and sets the session cookie',
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const { user, session, device } = await ctx.auth.login(args, ctx.clientInfo, await ctx.getSession(), await ctx.cookies.readDeviceToken());
      await ctx.cookies.setSession(session.token, session.expiresAt);
      await ctx.cookies.setDevice(device.token, device.expiresAt);
      return user;
    },
  }),
);

builder.mutationField('logout', (t) =>
  t.boolean({
    description: 'Ends this session and clears the cookie',
    resolve: async (_root, _args, ctx) => {
      await ctx.auth.logout(await ctx.requireSession(), ctx.clientInfo);
      await ctx.cookies.clearSession();
      return true;
    },
  }),
);
