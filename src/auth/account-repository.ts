// The queries of an address's lifecycle (account-service.ts): verification tokens, the change
// of address a token carries, and the deletion of an account. Writes lock the user's row first
// (repository.ts, lockUser), like every write that belongs to one user.
import type { DatabaseClient } from '../db/client.ts';
import { parseSqliteDateTime } from '../db/session-lookup.ts';
import { EmailTakenError, InvalidTokenError } from './errors.ts';
import { isUniqueViolation, lockUser } from './repository.ts';

/** What a used verification token did. */
export type Verified = { userId: string; changedFrom: null } | { userId: string; changedFrom: string };

export class AccountRepository {
  constructor(private readonly prisma: DatabaseClient) {}

  /** One live token per user: a newer one voids the older (API.md). False when the user is gone. */
  async replaceVerificationToken(input: {
    userId: string;
    email: string;
    tokenHash: string;
    now: Date;
    expiresAt: Date;
  }): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await lockUser(tx, input.userId))) return false;
      await tx.emailVerificationToken.deleteMany({ where: { userId: input.userId } });
      await tx.emailVerificationToken.create({
        data: { userId: input.userId, email: input.email, tokenHash: input.tokenHash, createdAt: input.now, expiresAt: input.expiresAt },
        select: { id: true },
      });
      return true;
    });
  }

  /** The live token's user and address, without consuming it: a cheap refusal of a bad token. */
  findVerificationToken(tokenHash: string, now: Date): Promise<{ userId: string; email: string } | null> {
    return this.prisma.emailVerificationToken.findFirst({
      where: { tokenHash, expiresAt: { gt: now } },
      select: { userId: true, email: true },
    });
  }

  /**
   * Uses a verification token, all or nothing. The token is deleted by one DELETE … RETURNING,
   * so of two concurrent uses exactly one gets it. When it proves the user's current address,
   * the address is marked verified. When it carries a new address (changeEmail), the address
   * changes and is verified, the credential version moves on (so a login whose password was
   * checked before the change starts no session), every session but `keepSessionId` ends, and
   * every reset and verification token of the user is void. The unique index on User.email
   * decides a race for one address: the loser's transaction fails with EMAIL_TAKEN and leaves
   * its token as it was.
   */
  async useVerificationToken(input: { tokenHash: string; now: Date; keepSessionId: string | null }): Promise<Verified> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const used = await tx.$queryRaw<Array<{ userId: string; email: string; expiresAt: string | Date }>>`
          DELETE FROM "EmailVerificationToken" WHERE "tokenHash" = ${input.tokenHash} RETURNING "userId", "email", "expiresAt"`;
        const token = used[0];
        if (token === undefined || parseSqliteDateTime(token.expiresAt) <= input.now) throw new InvalidTokenError();
        if (!(await lockUser(tx, token.userId))) throw new InvalidTokenError();
        const user = await tx.user.findUniqueOrThrow({ where: { id: token.userId }, select: { email: true, credentialVersion: true } });
        if (user.email === token.email) {
          await tx.user.update({ where: { id: token.userId }, data: { emailVerified: true }, select: { id: true } });
          return { userId: token.userId, changedFrom: null };
        }
        const next = user.credentialVersion + 1;
        await tx.user.update({
          where: { id: token.userId },
          data: { email: token.email, emailVerified: true, credentialVersion: next },
          select: { id: true },
        });
        await tx.session.deleteMany({ where: { userId: token.userId, id: { not: input.keepSessionId ?? '' } } });
        await tx.session.updateMany({ where: { userId: token.userId }, data: { credentialVersion: next } });
        await tx.passwordResetToken.deleteMany({ where: { userId: token.userId } });
        await tx.emailVerificationToken.deleteMany({ where: { userId: token.userId } });
        return { userId: token.userId, changedFrom: user.email };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
  }

  async isEmailTaken(email: string): Promise<boolean> {
    return (await this.prisma.user.findUnique({ where: { email }, select: { id: true } })) !== null;
  }

  /**
   * Removes the user and, by the schema's cascades, everything of theirs (sessions, tokens,
   * devices, and what later features add), only while the credentials are still those the
   * caller checked. False when they changed meanwhile (or the user is already gone).
   */
  async deleteUser(input: { userId: string; credentialVersion: number }): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await lockUser(tx, input.userId, input.credentialVersion))) return false;
      await tx.user.delete({ where: { id: input.userId }, select: { id: true } });
      return true;
    });
  }
}
