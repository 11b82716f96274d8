// Every query the domain needs, and the only place that knows Prisma: it returns plain records
// and turns Prisma's error codes into domain errors.
//
// Writes that belong to one user start by locking that user's row (lockUser): concurrent
// writes for one user then run one after the other on every database and across instances,
// so a session cap or "one live reset token" holds under concurrency. Writes made on the
// strength of a checked password lock only if the user's credentialVersion is still the one
// read with the hash: a password changed meanwhile turns them into a refusal.
import type { DatabaseClient } from '../db/client.ts';
import type { SessionLookup, SessionWithUser } from '../db/session-lookup.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { EmailTakenError, InvalidTokenError } from './errors.ts';
import type { NewSession, NewTrustedDevice, SelectedRow, SessionRecord, UserWithPasswordRecord } from './records.ts';

/** What a UserRecord and a SessionRecord hold (test/db/session-lookup.test.ts reads the same). */
export const userFields = { id: true, email: true, createdAt: true, emailVerified: true, role: true, disabled: true } as const;
export const sessionFields = {
  id: true,
  userId: true,
  createdAt: true,
  lastSeenAt: true,
  expiresAt: true,
  userAgent: true,
} as const;

export type Tx = Prisma.TransactionClient;

/**
 * What the schema plans from the client's GraphQL selection (the Pothos Prisma plugin's `query`):
 * a Prisma select or include, spread as it is into the one call that reads the rows the client
 * gets. They are then read once, with what was asked; rows read any other way would be loaded
 * again by the plugin. The service passes it along without looking inside.
 */
export interface UserQuery {
  select?: Prisma.UserSelect;
  include?: Prisma.UserInclude;
}
export interface SessionQuery {
  select?: Prisma.SessionSelect;
  include?: Prisma.SessionInclude;
}

/** A query that selects only what the domain itself asks for. */
const DOMAIN_FIELDS_ONLY = { select: {} } as const;

/**
 * `query` with the columns the domain reads itself added to its select. An include (or no
 * select at all) reads every column already.
 */
export function selecting<Q extends { select?: object }>(query: Q, fields: NonNullable<Q['select']>): Q {
  return query.select === undefined ? query : { ...query, select: { ...query.select, ...fields } };
}

const credentialFields = { ...userFields, passwordHash: true, credentialVersion: true } as const;

/** The user's rows of one kind, ordered alike: sessions and trusted devices. */
interface PerUserRows {
  findMany(args: {
    where: { userId: string };
    orderBy: Array<Record<string, 'desc'>>;
    skip: number;
    select: { id: true };
  }): Promise<Array<{ id: string }>>;
  deleteMany(args: { where: { id: { in: string[] } } }): Promise<unknown>;
}

/** Deletes the user's oldest rows beyond `keep`. */
async function trimNewest(rows: PerUserRows, userId: string, keep: number): Promise<void> {
  const surplus = await rows.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: keep,
    select: { id: true },
  });
  if (surplus.length > 0) await rows.deleteMany({ where: { id: { in: surplus.map((row) => row.id) } } });
}

/**
 * Takes the user's row lock for the rest of the transaction: a real UPDATE (of nothing), so
 * PostgreSQL locks the row and SQLite takes its write lock at the transaction's first statement.
 * With `expectedVersion`, only while the credentials are still those a caller checked. False when
 * no row matched (the user is gone, or the password changed since it was read).
 */
export async function lockUser(tx: Tx, userId: string, expectedVersion: number | null = null): Promise<boolean> {
  const count =
    expectedVersion === null
      ? await tx.$executeRaw`UPDATE "User" SET "credentialVersion" = "credentialVersion" WHERE "id" = ${userId}`
      : await tx.$executeRaw`UPDATE "User" SET "credentialVersion" = "credentialVersion" WHERE "id" = ${userId} AND "credentialVersion" = ${expectedVersion}`;
  return count === 1;
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

export class AuthRepository {
  constructor(
    private readonly prisma: DatabaseClient,
    private readonly sessions: SessionLookup,
  ) {}

  /**
   * The unique index decides concurrent registrations: exactly one insert wins. One statement:
   * the insert returns the selection.
   */
  async createUser(input: { email: string; passwordHash: string; now: Date }, query: UserQuery): Promise<SelectedRow<{ id: string }>> {
    try {
      return await this.prisma.user.create({
        ...selecting(query, { id: true }),
        data: { email: input.email, passwordHash: input.passwordHash, createdAt: input.now, passwordChangedAt: input.now },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
  }

  /**
   * The credentials, and with them whatever else `query` selects (login's answer, read in the
   * same statement rather than once more after the password check).
   */
  findUserByEmail(email: string, query: UserQuery = DOMAIN_FIELDS_ONLY): Promise<SelectedRow<UserWithPasswordRecord> | null> {
    return this.prisma.user.findUnique({ ...selecting(query, credentialFields), where: { email } });
  }

  findUserWithPassword(userId: string): Promise<UserWithPasswordRecord | null> {
    return this.prisma.user.findUnique({ where: { id: userId }, select: credentialFields });
  }

  /**
   * One indexed lookup per authenticated request: the session and its user together, through
   * a statement prepared once (db/session-lookup.ts says why this one query is not Prisma's).
   */
  findSessionByTokenHash(tokenHash: string): Promise<SessionWithUser | null> {
    return this.sessions.findByTokenHash(tokenHash);
  }

  /** The same password at another cost: only over the hash it replaces, never over a change. */
  async upgradePasswordHash(input: { userId: string; credentialVersion: number; from: string; to: string }): Promise<void> {
    await this.prisma.user.updateMany({
      where: { id: input.userId, credentialVersion: input.credentialVersion, passwordHash: input.from },
      data: { passwordHash: input.to },
    });
  }

  /** A live device cookie's row; which user it vouches for is the caller's to compare. */
  findTrustedDevice(tokenHash: string, now: Date): Promise<{ id: string; userId: string } | null> {
    return this.prisma.trustedDevice.findFirst({ where: { tokenHash, expiresAt: { gt: now } }, select: { id: true, userId: true } });
  }

  /**
   * Starts a session and remembers the browser (a new device cookie, replacing the one it
   * carried), unless the user's credentials changed since the password was checked (null then).
   * In the same transaction: ends the session the request carried (no fixation), and the user's
   * oldest sessions and devices beyond their caps.
   */
  async createSession(input: {
    session: NewSession;
    endSessionId: string | null;
    maxPerUser: number;
    device: { row: NewTrustedDevice; replacesId: string | null; maxPerUser: number };
  }): Promise<SessionRecord | null> {
    const { userId } = input.session;
    return this.prisma.$transaction(async (tx) => {
      if (!(await lockUser(tx, userId, input.session.credentialVersion))) return null;
      if (input.endSessionId !== null) await tx.session.deleteMany({ where: { id: input.endSessionId } });
      const created = await tx.session.create({ data: input.session, select: sessionFields });
      await trimNewest(tx.session, userId, input.maxPerUser);
      const { device } = input;
      if (device.replacesId !== null) await tx.trustedDevice.deleteMany({ where: { id: device.replacesId, userId } });
      await tx.trustedDevice.create({ data: device.row, select: { id: true } });
      await trimNewest(tx.trustedDevice, userId, device.maxPerUser);
      return created;
    });
  }

  async touchSession(id: string, lastSeenAt: Date): Promise<void> {
    await this.prisma.session.updateMany({ where: { id }, data: { lastSeenAt } });
  }

  async deleteSession(id: string): Promise<boolean> {
    const { count } = await this.prisma.session.deleteMany({ where: { id } });
    return count > 0;
  }

  /** Scoped to the user, so another user's session id deletes nothing. */
  async deleteUserSession(userId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.session.deleteMany({ where: { id, userId } });
    return count > 0;
  }

  async deleteUserSessions(userId: string): Promise<number> {
    const { count } = await this.prisma.session.deleteMany({ where: { userId } });
    return count;
  }

  listLiveSessions(userId: string, now: Date, idleCutoff: Date, query: SessionQuery): Promise<Array<SelectedRow<{ id: string }>>> {
    return this.prisma.session.findMany({
      ...selecting(query, { id: true }),
      where: { userId, expiresAt: { gt: now }, lastSeenAt: { gt: idleCutoff } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  /**
   * A password change, only if the credentials are still those the caller checked
   * (`session.credentialVersion` is the version it read; false otherwise): the new hash and the
   * next version, every session of the user ended and one new session for the caller
   * (rotation), every reset token voided; all or nothing.
   */
  async changePassword(input: { passwordHash: string; now: Date; session: NewSession }): Promise<boolean> {
    const { userId, credentialVersion } = input.session;
    return this.prisma.$transaction(async (tx) => {
      if (!(await lockUser(tx, userId, credentialVersion))) return false;
      const next = credentialVersion + 1;
      await tx.user.update({
        where: { id: userId },
        data: { passwordHash: input.passwordHash, passwordChangedAt: input.now, credentialVersion: next },
      });
      await tx.session.deleteMany({ where: { userId } });
      await tx.passwordResetToken.deleteMany({ where: { userId } });
      await tx.session.create({ data: { ...input.session, credentialVersion: next }, select: { id: true } });
      return true;
    });
  }

  /** A new reset token voids the older ones (API.md): they are deleted with its creation. */
  async replaceResetToken(input: { userId: string; tokenHash: string; now: Date; expiresAt: Date }): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      if (!(await lockUser(tx, input.userId))) return; // the account was deleted meanwhile
      await tx.passwordResetToken.deleteMany({ where: { userId: input.userId } });
      await tx.passwordResetToken.create({
        data: { userId: input.userId, tokenHash: input.tokenHash, createdAt: input.now, expiresAt: input.expiresAt },
        select: { id: true },
      });
    });
  }

  /**
   * The user a live reset token belongs to, without consuming the token. Asked of the user, with
   * the token as a filter: one statement, where selecting the token's user relation takes two.
   */
  findResetTokenOwner(tokenHash: string, now: Date): Promise<{ id: string; email: string } | null> {
    return this.prisma.user.findFirst({
      where: { resetTokens: { some: { tokenHash, usedAt: null, expiresAt: { gt: now } } } },
      select: { id: true, email: true },
    });
  }

  /**
   * Consumes the token and sets the password in one transaction. The consuming update is
   * conditional (still unused, still live), so of two concurrent uses exactly one succeeds.
   */
  async resetPassword(input: { tokenHash: string; passwordHash: string; now: Date }): Promise<string> {
    return this.prisma.$transaction(async (tx) => {
      // A write first: SQLite takes its write lock here rather than upgrading from a read.
      const { count } = await tx.passwordResetToken.updateMany({
        where: { tokenHash: input.tokenHash, usedAt: null, expiresAt: { gt: input.now } },
        data: { usedAt: input.now },
      });
      if (count !== 1) throw new InvalidTokenError();
      const token = await tx.passwordResetToken.findUniqueOrThrow({
        where: { tokenHash: input.tokenHash },
        select: { id: true, userId: true },
      });
      await tx.user.update({
        where: { id: token.userId },
        // The link reached the mailbox: the address is proven too (API.md).
        data: { passwordHash: input.passwordHash, passwordChangedAt: input.now, credentialVersion: { increment: 1 }, emailVerified: true },
      });
      await tx.passwordResetToken.deleteMany({ where: { userId: token.userId, id: { not: token.id } } });
      await tx.session.deleteMany({ where: { userId: token.userId } });
      return token.userId;
    });
  }
}
