// Every query passkeys need: the credentials, and the challenges of ceremonies in flight. Writes
// for one user lock the user's row first (../repository.ts, lockUser), so the cap of passkeys
// holds under concurrent registrations.
import type { DatabaseClient } from '../../db/client.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { isUniqueViolation, lockUser, selecting, userFields, type UserQuery } from '../repository.ts';
import type { SelectedRow, UserWithPasswordRecord } from '../records.ts';
import type { Ceremony, NewChallenge } from './challenges.ts';

/** The client's selection of Passkey rows (the Pothos Prisma plugin's `query`). */
export interface PasskeyQuery {
  select?: Prisma.PasskeySelect;
  include?: Prisma.PasskeyInclude;
}

export interface NewPasskey {
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string | null;
  createdAt: Date;
}

/** A credential as a login needs it, with its user as the client selected them. */
export interface StoredPasskey {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: bigint;
  transports: string;
  user: SelectedRow<Omit<UserWithPasswordRecord, 'passwordHash'>>;
}

/** The cap was reached (the caller turns it into the contract's refusal). */
export class PasskeyCapReachedError extends Error {}

/** The credential is registered already (to this user or another). */
export class PasskeyTakenError extends Error {}

export class PasskeyRepository {
  constructor(private readonly prisma: DatabaseClient) {}

  /** What excludeCredentials lists: the user's credentials, so an authenticator holding one makes no second. */
  listCredentialsOf(userId: string): Promise<Array<{ credentialId: string; transports: string }>> {
    return this.prisma.passkey.findMany({
      where: { userId },
      select: { credentialId: true, transports: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Stores a challenge; the owner's oldest beyond `maxPerOwner` are dropped in the same transaction. */
  async storeChallenge(challenge: NewChallenge['row'], maxPerOwner: number): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.passkeyChallenge.create({ data: challenge, select: { id: true } });
      const surplus = await tx.passkeyChallenge.findMany({
        where: { owner: challenge.owner },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: maxPerOwner,
        select: { id: true },
      });
      if (surplus.length > 0) await tx.passkeyChallenge.deleteMany({ where: { id: { in: surplus.map((row) => row.id) } } });
    });
  }

  /**
   * Uses a challenge: one conditional DELETE, so of concurrent uses exactly one removes the row
   * and goes on. True only for a live challenge of this ceremony, owner and (for a registration)
   * user.
   */
  async consumeChallenge(input: {
    challengeHash: string;
    ceremony: Ceremony;
    owner: string;
    userId: string | null;
    now: Date;
  }): Promise<boolean> {
    const { count } = await this.prisma.passkeyChallenge.deleteMany({
      where: {
        challengeHash: input.challengeHash,
        ceremony: input.ceremony,
        owner: input.owner,
        userId: input.userId,
        expiresAt: { gt: input.now },
      },
    });
    return count === 1;
  }

  /**
   * Adds a credential unless the user holds `maxPerUser` already (PasskeyCapReachedError) or it is
   * registered already (PasskeyTakenError); answers the row as the client selected it.
   */
  async createPasskey(input: NewPasskey, maxPerUser: number, query: PasskeyQuery): Promise<SelectedRow<{ id: string }> | null> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        if (!(await lockUser(tx, input.userId))) return null;
        if ((await tx.passkey.count({ where: { userId: input.userId } })) >= maxPerUser) throw new PasskeyCapReachedError();
        return tx.passkey.create({
          ...selecting(query, { id: true }),
          data: {
            ...input,
            publicKey: Uint8Array.from(input.publicKey),
            counter: BigInt(input.counter),
            transports: input.transports.join(','),
          },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new PasskeyTakenError();
      throw error;
    }
  }

  countPasskeys(userId: string): Promise<number> {
    return this.prisma.passkey.count({ where: { userId } });
  }

  /** The credential a login names, with its user (the columns a session needs, and the client's selection). */
  findForLogin(credentialId: string, userQuery: UserQuery): Promise<StoredPasskey | null> {
    const user = selecting(userQuery, { ...userFields, credentialVersion: true });
    return this.prisma.passkey.findUnique({
      where: { credentialId },
      select: {
        id: true,
        userId: true,
        credentialId: true,
        publicKey: true,
        counter: true,
        transports: true,
        user: user.select === undefined && user.include === undefined ? true : user,
      },
    }) as Promise<StoredPasskey | null>;
  }

  /**
   * Records a use: the new counter and when. Conditional on the counter read before the check, so
   * of two assertions verified against one counter value only one moves it (a counter that is 0
   * for good, as synced passkeys keep it, matches every time).
   */
  async recordUse(input: { id: string; fromCounter: bigint; toCounter: number; now: Date }): Promise<boolean> {
    const { count } = await this.prisma.passkey.updateMany({
      where: { id: input.id, counter: input.fromCounter },
      data: { counter: BigInt(input.toCounter), lastUsedAt: input.now },
    });
    return count === 1;
  }

  listPasskeys(userId: string, query: PasskeyQuery): Promise<Array<SelectedRow<{ id: string }>>> {
    return this.prisma.passkey.findMany({
      ...selecting(query, { id: true }),
      where: { userId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** Scoped to the user, so another user's passkey id deletes nothing. */
  async deletePasskey(userId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.passkey.deleteMany({ where: { id, userId } });
    return count > 0;
  }
}
