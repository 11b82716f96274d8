// Passkeys (API.md, "Passkeys"): the caller's list, the two WebAuthn ceremonies, and removal.
// The options are WebAuthn's JSON forms, handed to @simplewebauthn/browser as they are.
import type { Passkey as PrismaPasskey, User as PrismaUser } from '../generated/prisma/client.ts';
import { builder } from './builder.ts';
import './json.ts';
import { User } from './user.ts';

// Select mode, as User (user.ts): the id and the columns the client asked for; never the key.
export const Passkey = builder.prismaObject('Passkey', {
  select: { id: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('passkeys', (t) =>
  t.prismaField({
    type: [Passkey],
    description: "The caller's passkeys, oldest first",
    resolve: async (query, _root, _args, ctx) => (await ctx.passkeys.list(await ctx.requireSession(), query)) as PrismaPasskey[],
  }),
);

builder.mutationField('passkeyRegistrationOptions', (t) =>
  t.field({
    type: 'JSON',
    description: 'Needs a session: PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create()',
    resolve: async (_root, _args, ctx) => ctx.passkeys.registrationOptions(await ctx.requireSession(), ctx.clientInfo),
  }),
);

builder.mutationField('registerPasskey', (t) =>
  t.prismaField({
    type: Passkey,
    description: 'Stores the passkey of a RegistrationResponseJSON answering passkeyRegistrationOptions',
    args: { response: t.arg({ type: 'JSON', required: true }), name: t.arg.string() },
    resolve: async (query, _root, args, ctx) =>
      (await ctx.passkeys.register(await ctx.requireSession(), args, ctx.clientInfo, query)) as PrismaPasskey,
  }),
);

builder.mutationField('passkeyLoginOptions', (t) =>
  t.field({
    type: 'JSON',
    description: 'No session needed: PublicKeyCredentialRequestOptionsJSON (discoverable credentials) for navigator.credentials.get()',
    resolve: async (_root, _args, ctx) => {
      const { options, challengeCookie } = await ctx.passkeys.loginOptions(await ctx.cookies.readPasskeyLoginToken(), ctx.clientInfo);
      await ctx.cookies.setPasskeyLogin(challengeCookie.token, challengeCookie.expiresAt);
      return options;
    },
  }),
);

builder.mutationField('loginWithPasskey', (t) =>
  t.prismaField({
    type: User,
    description: 'Verifies an AuthenticationResponseJSON, starts a new session and sets the session cookie',
    args: { response: t.arg({ type: 'JSON', required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const { user, session, device } = await ctx.passkeys.login(
        args,
        await ctx.cookies.readPasskeyLoginToken(),
        ctx.clientInfo,
        await ctx.getSession(),
        await ctx.cookies.readDeviceToken(),
        query,
      );
      await ctx.cookies.setSession(session.token, session.expiresAt);
      await ctx.cookies.setDevice(device.token, device.expiresAt);
      return user as PrismaUser;
    },
  }),
);

builder.mutationField('removePasskey', (t) =>
  t.boolean({
    description: "Removes one of the caller's passkeys; false for an unknown id or another user's passkey",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => ctx.passkeys.remove(await ctx.requireSession(), String(args.id), ctx.clientInfo),
  }),
);
