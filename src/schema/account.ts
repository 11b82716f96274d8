// The address's lifecycle (API.md, "Verified email"): verifyEmail, requestEmailVerification,
// changeEmail, deleteAccount. Work that would tell whether an address has an account runs
// after the response (ctx.afterResponse).
import { builder } from './builder.ts';

builder.mutationField('verifyEmail', (t) =>
  t.boolean({
    description: "Proves the address a mailed token was sent to: the account's own, or the new one a changeEmail asked for",
    args: { token: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.account.verifyEmail(args, ctx.clientInfo, await ctx.getSession());
      return true;
    },
  }),
);

builder.mutationField('requestEmailVerification', (t) =>
  t.boolean({
    description: 'Always true; mails a new link if the account exists and is unverified',
    args: { email: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      ctx.afterResponse('verification-mail', await ctx.account.requestEmailVerification(args, ctx.clientInfo));
      return true;
    },
  }),
);

builder.mutationField('changeEmail', (t) =>
  t.boolean({
    description:
      'Mails a link to the new address (the address changes when it is used) and a notice to the current one; true once the password is right',
    args: { newEmail: t.arg.string({ required: true }), currentPassword: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const work = await ctx.account.changeEmail(await ctx.requireSession(), args, ctx.clientInfo, await ctx.cookies.readDeviceToken());
      ctx.afterResponse('email-change-mail', work);
      return true;
    },
  }),
);

builder.mutationField('deleteAccount', (t) =>
  t.boolean({
    description: 'Removes the account and everything of it, ends every session and clears the cookie',
    args: { currentPassword: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.account.deleteAccount(await ctx.requireSession(), args, ctx.clientInfo, await ctx.cookies.readDeviceToken());
      await ctx.cookies.clearSession();
      await ctx.cookies.clearDevice();
      return true;
    },
  }),
);
