import { builder } from './builder.ts';

builder.mutationField('changePassword', (t) =>
  t.boolean({
    description: "Ends the caller's other sessions and rotates this one (a new cookie)",
    args: { currentPassword: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const session = await ctx.password.changePassword(
        await ctx.requireSession(),
        args,
        ctx.clientInfo,
        await ctx.cookies.readDeviceToken(),
      );
      await ctx.cookies.setSession(session.token, session.expiresAt);
      return true;
    },
  }),
);

builder.mutationField('requestPasswordReset', (t) =>
  t.boolean({
    description: 'Always true; mails a reset token if the account exists',
    args: { email: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      ctx.afterResponse('password-reset-mail', await ctx.password.requestPasswordReset(args, ctx.clientInfo));
      return true;
    },
  }),
);

builder.mutationField('resetPassword', (t) =>
  t.boolean({
    description: 'Sets a new password with a mailed token, and ends every session of the account',
    args: { token: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.password.resetPassword(args, ctx.clientInfo);
      return true;
    },
  }),
);
