// Every table that grows gets a bounded lifetime here: one entry per kind of dead row, each found
// by an indexed predicate (the indexes are in prisma/schema.prisma), so a batch reads only the
// rows it deletes, however large the table. A new table with a lifetime adds one entry below.
import { PrismaRateLimitStore } from '../auth/rate-limit-repository.ts';
import type { DatabaseClient } from '../db/client.ts';

/** What one batch saw: `found` below the batch size means the entry has nothing left. */
export interface BatchResult {
  found: number;
  deleted: number;
}

/** The instants a run judges rows by, fixed when it starts (the service's clock). */
export interface SweepCutoffs {
  now: Date;
  /** Sessions last seen at or before this are idle (SESSION_IDLE_TIMEOUT_SECONDS). */
  sessionIdleCutoff: Date;
}

export interface Sweep {
  /** Shown in the run's summary; names the table and the rule. */
  readonly name: string;
  /**
   * Deletes at most `limit` dead rows. The delete repeats the predicate, so a row that came
   * back to life between the two statements (a rate-limit counter restarted) is kept.
   */
  sweepBatch(prisma: DatabaseClient, cutoffs: SweepCutoffs, limit: number): Promise<BatchResult>;
}

/** The ids found, then the rows among them that still match: two bounded statements. */
async function deleteFound(ids: { id: string }[], remove: (ids: string[]) => Promise<{ count: number }>): Promise<BatchResult> {
  if (ids.length === 0) return { found: 0, deleted: 0 };
  const { count } = await remove(ids.map((row) => row.id));
  return { found: ids.length, deleted: count };
}

export const sweeps: readonly Sweep[] = [
  {
    name: 'sessions expired',
    async sweepBatch(prisma, { now }, limit) {
      const where = { expiresAt: { lte: now } };
      const ids = await prisma.session.findMany({ where, select: { id: true }, take: limit });
      return deleteFound(ids, (found) => prisma.session.deleteMany({ where: { ...where, id: { in: found } } }));
    },
  },
  {
    name: 'sessions idle',
    async sweepBatch(prisma, { sessionIdleCutoff }, limit) {
      const where = { lastSeenAt: { lte: sessionIdleCutoff } };
      const ids = await prisma.session.findMany({ where, select: { id: true }, take: limit });
      return deleteFound(ids, (found) => prisma.session.deleteMany({ where: { ...where, id: { in: found } } }));
    },
  },
  {
    name: 'reset tokens expired',
    async sweepBatch(prisma, { now }, limit) {
      const where = { expiresAt: { lte: now } };
      const ids = await prisma.passwordResetToken.findMany({ where, select: { id: true }, take: limit });
      return deleteFound(ids, (found) => prisma.passwordResetToken.deleteMany({ where: { ...where, id: { in: found } } }));
    },
  },
  {
    name: 'reset tokens used',
    async sweepBatch(prisma, _cutoffs, limit) {
      const where = { usedAt: { not: null } };
      const ids = await prisma.passwordResetToken.findMany({ where, select: { id: true }, take: limit });
      return deleteFound(ids, (found) => prisma.passwordResetToken.deleteMany({ where: { ...where, id: { in: found } } }));
    },
  },
  {
    name: 'trusted devices expired',
    async sweepBatch(prisma, { now }, limit) {
      const where = { expiresAt: { lte: now } };
      const ids = await prisma.trustedDevice.findMany({ where, select: { id: true }, take: limit });
      return deleteFound(ids, (found) => prisma.trustedDevice.deleteMany({ where: { ...where, id: { in: found } } }));
    },
  },
  {
    name: 'rate-limit counters expired',
    // Through the limiter's store: one path to the RateLimit table.
    sweepBatch: (prisma, { now }, limit) => new PrismaRateLimitStore(prisma).deleteExpired(now, limit),
  },
];
