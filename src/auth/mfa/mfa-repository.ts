// Every query of the second factor: the authenticator, recovery codes and login challenges.
// Each single-use thing is used by a conditional write whose row count decides, so of two
// concurrent uses exactly one succeeds, on SQLite and on PostgreSQL, from any instance.
import type { DatabaseClient } from '../../db/client.ts';
import type { SelectedRow, UserRecord } from '../records.ts';
import { type UserQuery, userFields } from '../repository.ts';
import type { SealedSecret } from './secret-box.ts';

export interface AuthenticatorRecord {
  /** The confirmed secret; null while MFA is off. */
  secret: SealedSecret | null;
  pending: SealedSecret | null;
  lastUsedStep: number;
}

export interface ChallengeRecord {
  id: string;
  userId: string;
  credentialVersion: number;
}

export interface MfaStatus {
  enabled: boolean;
  recoveryCodesRemaining: number;
}

function sealed(ciphertext: string | null, keyId: string | null): SealedSecret | null {
  return ciphertext === null || keyId === null ? null : { ciphertext, keyId };
}

export class MfaRepository {
  constructor(private readonly prisma: DatabaseClient) {}

  async isEnabled(userId: string): Promise<boolean> {
    const row = await this.prisma.totpAuthenticator.findUnique({ where: { userId }, select: { enabledAt: true } });
    return row?.enabledAt != null;
  }

  /**
   * One statement for both of User's second-factor fields (through Prisma's relation reads it
   * would be two). COUNT is a bigint on PostgreSQL and a number on SQLite.
   */
  async status(userId: string): Promise<MfaStatus> {
    const [row] = await this.prisma.$queryRaw<Array<{ enabled: number | bigint; remaining: number | bigint }>>`
      SELECT
        (SELECT COUNT(*) FROM "TotpAuthenticator" WHERE "userId" = ${userId} AND "enabledAt" IS NOT NULL) AS "enabled",
        (SELECT COUNT(*) FROM "RecoveryCode" WHERE "userId" = ${userId} AND "usedAt" IS NULL) AS "remaining"`;
    const enabled = Number(row?.enabled ?? 0) > 0;
    return { enabled, recoveryCodesRemaining: enabled ? Number(row?.remaining ?? 0) : 0 };
  }

  async findAuthenticator(userId: string): Promise<AuthenticatorRecord | null> {
    const row = await this.prisma.totpAuthenticator.findUnique({ where: { userId } });
    if (row === null) return null;
    return {
      secret: row.enabledAt === null ? null : sealed(row.secretCiphertext, row.secretKeyId),
      pending: sealed(row.pendingCiphertext, row.pendingKeyId),
      lastUsedStep: row.lastUsedStep,
    };
  }

  /** Replaces an unconfirmed enrolment; a confirmed authenticator stays as it is until this one is confirmed. */
  async savePendingEnrollment(userId: string, pending: SealedSecret, now: Date): Promise<void> {
    const data = { pendingCiphertext: pending.ciphertext, pendingKeyId: pending.keyId, pendingCreatedAt: now };
    await this.prisma.totpAuthenticator.upsert({ where: { userId }, create: { userId, ...data }, update: data, select: { userId: true } });
  }

  /**
   * Records `step` as used, only if MFA is on and no later or equal step was used before: the
   * replay protection of RFC 6238 §5.2, decided by the database. False: the code was used.
   */
  async recordTotpStep(userId: string, step: number): Promise<boolean> {
    const { count } = await this.prisma.totpAuthenticator.updateMany({
      where: { userId, enabledAt: { not: null }, lastUsedStep: { lt: step } },
      data: { lastUsedStep: step },
    });
    return count === 1;
  }

  /** After a key rotation: the secret sealed again under the current key, unless it changed meanwhile. */
  async resealSecret(userId: string, from: SealedSecret, to: SealedSecret): Promise<void> {
    await this.prisma.totpAuthenticator.updateMany({
      where: { userId, secretCiphertext: from.ciphertext },
      data: { secretCiphertext: to.ciphertext, secretKeyId: to.keyId },
    });
  }

  /** Uses one unused code of the user; false for an unknown or used one. */
  async consumeRecoveryCode(userId: string, codeHash: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: now } });
    return count === 1;
  }

  /**
   * The pending secret becomes the authenticator, only if it is still the one whose code was
   * checked and `step` was not used yet; with it a new set of recovery codes (the old set void),
   * and every session of the user but `keepSessionId` ended. All or nothing.
   */
  async confirmEnrollment(input: {
    userId: string;
    pending: SealedSecret;
    step: number;
    codeHashes: string[];
    keepSessionId: string;
    now: Date;
  }): Promise<boolean> {
    const { userId, pending, now } = input;
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.totpAuthenticator.updateMany({
        where: { userId, pendingCiphertext: pending.ciphertext, lastUsedStep: { lt: input.step } },
        data: {
          secretCiphertext: pending.ciphertext,
          secretKeyId: pending.keyId,
          enabledAt: now,
          pendingCiphertext: null,
          pendingKeyId: null,
          pendingCreatedAt: null,
          lastUsedStep: input.step,
        },
      });
      if (count !== 1) return false;
      await tx.recoveryCode.deleteMany({ where: { userId } });
      await tx.recoveryCode.createMany({ data: input.codeHashes.map((codeHash) => ({ userId, codeHash, createdAt: now })) });
      await tx.session.deleteMany({ where: { userId, id: { not: input.keepSessionId } } });
      return true;
    });
  }

  /** A new set of recovery codes while MFA is on; the old set is void. False when MFA is off. */
  async replaceRecoveryCodes(userId: string, codeHashes: string[], now: Date): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      // A write first: the authenticator row is locked (SQLite: the write lock) for the swap.
      const { count } = await tx.totpAuthenticator.updateMany({
        where: { userId, enabledAt: { not: null } },
        data: { lastUsedStep: { increment: 0 } },
      });
      if (count !== 1) return false;
      await tx.recoveryCode.deleteMany({ where: { userId } });
      await tx.recoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ userId, codeHash, createdAt: now })) });
      return true;
    });
  }

  /**
   * MFA off: the secrets forgotten (the last used step kept, so a code stays used), recovery
   * codes and login challenges deleted, every session of the user but `keepSessionId` ended.
   */
  async disable(userId: string, keepSessionId: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.totpAuthenticator.updateMany({
        where: { userId, enabledAt: { not: null } },
        data: {
          secretCiphertext: null,
          secretKeyId: null,
          enabledAt: null,
          pendingCiphertext: null,
          pendingKeyId: null,
          pendingCreatedAt: null,
        },
      });
      if (count !== 1) return false;
      await tx.recoveryCode.deleteMany({ where: { userId } });
      await tx.mfaChallenge.deleteMany({ where: { userId } });
      await tx.session.deleteMany({ where: { userId, id: { not: keepSessionId } } });
      return true;
    });
  }

  async createChallenge(input: {
    userId: string;
    tokenHash: string;
    credentialVersion: number;
    now: Date;
    expiresAt: Date;
  }): Promise<void> {
    const { now, ...row } = input;
    // The user's dead challenges go with each new one, so they do not pile up between sweeps.
    await this.prisma.mfaChallenge.deleteMany({ where: { userId: input.userId, expiresAt: { lte: now } } });
    await this.prisma.mfaChallenge.create({ data: { ...row, createdAt: now }, select: { id: true } });
  }

  /**
   * Counts one code against a live challenge, only while it has attempts left: the count is
   * decided by the conditional update, so concurrent requests cannot check more than
   * `maxAttempts` codes against one challenge. Null: no such live challenge, or none left.
   */
  async claimChallengeAttempt(tokenHash: string, now: Date, maxAttempts: number): Promise<ChallengeRecord | null> {
    const challenge = await this.prisma.mfaChallenge.findUnique({
      where: { tokenHash },
      select: { id: true, userId: true, credentialVersion: true },
    });
    if (challenge === null) return null;
    const { count } = await this.prisma.mfaChallenge.updateMany({
      where: { id: challenge.id, attempts: { lt: maxAttempts }, expiresAt: { gt: now } },
      data: { attempts: { increment: 1 } },
    });
    return count === 1 ? challenge : null;
  }

  /** Uses the challenge up; false when another request did first. */
  async consumeChallenge(id: string): Promise<boolean> {
    const { count } = await this.prisma.mfaChallenge.deleteMany({ where: { id } });
    return count === 1;
  }

  /** The user as the client selected it (verifyMfa's answer), with what a UserRecord holds. */
  findUser(userId: string, query: UserQuery): Promise<SelectedRow<UserRecord> | null> {
    const select = query.select === undefined ? undefined : { ...query.select, ...userFields };
    return this.prisma.user.findUnique({ ...query, ...(select === undefined ? {} : { select }), where: { id: userId } });
  }

  findEmail(userId: string): Promise<{ email: string } | null> {
    return this.prisma.user.findUnique({ where: { id: userId }, select: { email: true } });
  }
}
