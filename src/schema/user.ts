import type { User as PrismaUser } from '../generated/prisma/client.ts';
import { MfaRequiredError } from '../auth/errors.ts';
import { builder } from './builder.ts';

// Select mode: a row is read with its id and the columns of the fields the client asked for
// (each exposed field selects its own), never the whole row with its password hash. `login` reads
// this selection in the lookup it makes for unknown emails too: a relation field here would make
// a known email's lookup heavier (a timing tell), and `me` must stay answerable from the session
// lookup (test/api/query-count.test.ts checks it answers every field).
export const Role = builder.enumType('Role', {
  values: { USER: { value: 'USER' }, ADMIN: { value: 'ADMIN', description: "May call the operators' operations" } } as const,
});

export const User = builder.prismaObject('User', {
  select: { id: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email', { description: 'Normalised: trimmed, lower-cased, Unicode NFC, the domain in its ASCII (IDNA) form' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    emailVerified: t.exposeBoolean('emailVerified', {
      description: 'True once the address was proven: a verification link, or a reset link, was used',
    }),
    role: t.expose('role', { type: Role }),
    disabled: t.exposeBoolean('disabled', { description: 'An administrator disabled the account' }),
  }),
});

// Every field returning a User is a prismaField: Pothos plans the client's selection (`query`)
// and trusts the returned row to hold it. Through a plain field it would load the user again (a
// second query, behind a setTimeout). Pothos types a prismaField's result as the whole model but
// reads only the selected fields, hence the casts of rows that hold just those.
builder.queryField('me', (t) =>
  t.prismaField({
    type: User,
    nullable: true,
    description: 'The caller, or null when the request carries no valid session',
    // Not through Prisma: the session lookup every request makes already read every column User
    // exposes (id, email, createdAt), so `me` costs no query of its own.
    resolve: async (_query, _root, _args, ctx) => ((await ctx.getSession())?.user ?? null) as PrismaUser | null,
  }),
);

builder.mutationField('register', (t) =>
  t.prismaField({
    type: User,
    description: 'Creates the account; starts no session',
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => (await ctx.auth.register(args, ctx.clientInfo, query)) as PrismaUser,
  }),
);

builder.mutationField('login', (t) =>
  t.prismaField({
    type: User,
    description: 'Starts a new session and sets the session cookie',
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const carried = await ctx.getSession();
      const outcome = await ctx.auth.login(args, ctx.clientInfo, carried, await ctx.cookies.readDeviceToken(), query);
      if ('mfaChallenge' in outcome) {
        // Second factor: only the challenge cookie, and MFA_REQUIRED; verifyMfa (schema/mfa.ts) goes on.
        await ctx.cookies.setMfaChallenge(outcome.mfaChallenge.token, outcome.mfaChallenge.expiresAt);
        throw new MfaRequiredError();
      }
      const { user, session, device } = outcome;
      await ctx.cookies.setSession(session.token, session.expiresAt);
      await ctx.cookies.setDevice(device.token, device.expiresAt);
      return user as PrismaUser;
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
