import type { User as PrismaUser } from '../generated/prisma/client.ts';
import type { MfaStatus } from '../auth/mfa/mfa-repository.ts';
import type { Context } from '../context.ts';
import { builder } from './builder.ts';
import { User } from './user.ts';

// User's second-factor fields are read only when selected, in one query for both, once per
// request and user: `me { id email createdAt }` stays answered by the session lookup alone,
// with no column or join added to the query every request makes.
const statusPerRequest = new WeakMap<Context, Map<string, Promise<MfaStatus>>>();

function mfaStatusOf(ctx: Context, userId: string): Promise<MfaStatus> {
  let byUser = statusPerRequest.get(ctx);
  if (byUser === undefined) statusPerRequest.set(ctx, (byUser = new Map()));
  let status = byUser.get(userId);
  if (status === undefined) byUser.set(userId, (status = ctx.mfa.status(userId)));
  return status;
}

builder.prismaObjectField(User, 'mfaEnabled', (t) =>
  t.boolean({
    description: 'A confirmed TOTP authenticator is on the account',
    resolve: async (user, _args, ctx) => (await mfaStatusOf(ctx, user.id)).enabled,
  }),
);

builder.prismaObjectField(User, 'recoveryCodesRemaining', (t) =>
  t.int({
    description: 'Unused recovery codes; 0 without MFA',
    resolve: async (user, _args, ctx) => (await mfaStatusOf(ctx, user.id)).recoveryCodesRemaining,
  }),
);

const TotpEnrollment = builder.objectRef<{ secret: string; uri: string }>('TotpEnrollment').implement({
  description: 'A new TOTP secret for an authenticator app; nothing changes until confirmTotpEnrollment',
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'Base32 (RFC 4648, no padding), 160 bits' }),
    uri: t.exposeString('uri', { description: 'otpauth://totp/… for a QR code' }),
  }),
});

builder.mutationField('startTotpEnrollment', (t) =>
  t.field({
    type: TotpEnrollment,
    description: 'Needs a session and the current password; replaces an unconfirmed enrollment',
    args: { currentPassword: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) =>
      ctx.mfa.startTotpEnrollment(await ctx.requireSession(), args, ctx.clientInfo, await ctx.cookies.readDeviceToken()),
  }),
);

builder.mutationField('confirmTotpEnrollment', (t) =>
  t.stringList({
    description: "The first valid code turns MFA on and ends the user's other sessions; returns 10 recovery codes, shown once",
    args: { code: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => ctx.mfa.confirmTotpEnrollment(await ctx.requireSession(), args, ctx.clientInfo),
  }),
);

builder.mutationField('verifyMfa', (t) =>
  t.prismaField({
    type: User,
    description: 'Second step of login: a TOTP code or a recovery code; sets the session cookie',
    args: { code: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const { user, session, device } = await ctx.mfa.verifyMfa(
        await ctx.cookies.readMfaChallengeToken(),
        args,
        ctx.clientInfo,
        await ctx.getSession(),
        await ctx.cookies.readDeviceToken(),
        query,
      );
      await ctx.cookies.clearMfaChallenge();
      await ctx.cookies.setSession(session.token, session.expiresAt);
      await ctx.cookies.setDevice(device.token, device.expiresAt);
      return user as PrismaUser;
    },
  }),
);

builder.mutationField('disableTotp', (t) =>
  t.boolean({
    description: "Needs a session and a current code (TOTP or recovery); ends the user's other sessions",
    args: { code: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.mfa.disableTotp(await ctx.requireSession(), args, ctx.clientInfo);
      return true;
    },
  }),
);

builder.mutationField('regenerateRecoveryCodes', (t) =>
  t.stringList({
    description: 'Needs a session and a current TOTP code; voids the old recovery codes',
    args: { code: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => ctx.mfa.regenerateRecoveryCodes(await ctx.requireSession(), args, ctx.clientInfo),
  }),
);
