// The queries behind the operators' operations (admin-service.ts). Writes about one user lock
// that user's row first (repository.ts, lockUser), like every other write about a user.
import type { DatabaseClient } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { Role, UserRecord } from './records.ts';
import { lockUser, userFields } from './repository.ts';

/** Where a page of users starts: after this (createdAt, id), in that order. */
export interface UserCursor {
  createdAt: Date;
  id: string;
}

/** `value` as a LIKE pattern that matches only itself (escape character: backslash). */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class AdminRepository {
  constructor(private readonly prisma: DatabaseClient) {}

  /**
   * Oldest first, keyset-paginated on (createdAt, id): a page costs the same wherever it starts,
   * and users registering meanwhile never shift or repeat rows. `search` is a substring of the
   * stored (lower-case) address, matched as text: Prisma's `contains` would let `_` and `%` act
   * as wildcards, so the page's ids come from one LIKE … ESCAPE of our own, and the rows from
   * Prisma. Date parameters are bound the way Prisma stores them, as the rate-limit store relies on.
   */
  async listUsers(input: { search: string | null; after: UserCursor | null; take: number }): Promise<UserRecord[]> {
    const bySearch = input.search === null ? Prisma.empty : Prisma.sql`AND "email" LIKE ${`%${escapeLike(input.search)}%`} ESCAPE '\\'`;
    const byCursor =
      input.after === null
        ? Prisma.empty
        : Prisma.sql`AND ("createdAt" > ${input.after.createdAt} OR ("createdAt" = ${input.after.createdAt} AND "id" > ${input.after.id}))`;
    const page = await this.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT "id" FROM "User" WHERE 1 = 1 ${bySearch} ${byCursor}
      ORDER BY "createdAt", "id" LIMIT ${input.take}`;
    if (page.length === 0) return [];
    const rows = await this.prisma.user.findMany({ where: { id: { in: page.map((row) => row.id) } }, select: userFields });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return page.flatMap((row) => byId.get(row.id) ?? []);
  }

  findUser(id: string): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { id }, select: userFields });
  }

  /**
   * Disabling moves the credential version on and deletes every session in one transaction: the
   * per-request lookup then refuses any session row that survived on any instance, and a login
   * whose password was checked just before cannot start one. Null for an unknown user.
   */
  async setDisabled(userId: string, disabled: boolean): Promise<{ sessionsEnded: number } | null> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await lockUser(tx, userId))) return null;
      if (!disabled) {
        await tx.user.update({ where: { id: userId }, data: { disabled: false }, select: { id: true } });
        return { sessionsEnded: 0 };
      }
      await tx.user.update({ where: { id: userId }, data: { disabled: true, credentialVersion: { increment: 1 } }, select: { id: true } });
      const { count } = await tx.session.deleteMany({ where: { userId } });
      return { sessionsEnded: count };
    });
  }

  async setRole(userId: string, role: Role): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({ where: { id: userId }, data: { role } });
    return count === 1;
  }

  async deleteSessions(userId: string): Promise<number> {
    const { count } = await this.prisma.session.deleteMany({ where: { userId } });
    return count;
  }

  /** The user and, by the schema's cascades, everything of theirs. False for an unknown id. */
  async deleteUser(userId: string): Promise<boolean> {
    const { count } = await this.prisma.user.deleteMany({ where: { id: userId } });
    return count === 1;
  }
}
