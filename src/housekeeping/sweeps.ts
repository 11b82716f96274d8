// Every table that grows gets a bounded lifetime here: one entry per kind of dead row, a table
// and an indexed predicate (the indexes are in prisma/schema.prisma). A batch is one statement,
//   DELETE FROM "T" WHERE "key" IN (SELECT "key" FROM "T" WHERE <where> LIMIT n)
// whose inner SELECT walks the predicate's index and stops after n rows, so a batch costs the
// same on a table of a thousand rows or of millions; the predicate is judged in the statement
// that deletes, so a row that came back to life meanwhile (a rate-limit counter restarted) stays.
// A new table with a lifetime adds one entry here and an index on its predicate's column.
// (Not Prisma's findMany + deleteMany: with `take` it adds ORDER BY "id", which makes the
// database sort every dead row, or walk the whole primary key, to return the first n.)

/** The instants a run judges rows by, fixed when it starts (the service's clock). */
export interface SweepCutoffs {
  now: Date;
  /** Sessions last seen at or before this are idle (SESSION_IDLE_TIMEOUT_SECONDS). */
  sessionIdleCutoff: Date;
}

export interface Sweep {
  /** Shown in the run's summary; names the table and the rule. */
  readonly name: string;
  readonly table: string;
  /** The primary key's column. */
  readonly key: string;
  /** A condition on the table's columns; each `?` is bound, in order, to a value of `params`. */
  readonly where: string;
  params(cutoffs: SweepCutoffs): Date[];
}

export const sweeps: readonly Sweep[] = [
  { name: 'sessions expired', table: 'Session', key: 'id', where: '"expiresAt" <= ?', params: (c) => [c.now] },
  { name: 'sessions idle', table: 'Session', key: 'id', where: '"lastSeenAt" <= ?', params: (c) => [c.sessionIdleCutoff] },
  { name: 'reset tokens expired', table: 'PasswordResetToken', key: 'id', where: '"expiresAt" <= ?', params: (c) => [c.now] },
  // Used once, then worthless. "Used by now" rather than IS NOT NULL: SQLite's planner walks an
  // index for a range, but scans the whole table for IS NOT NULL.
  { name: 'reset tokens used', table: 'PasswordResetToken', key: 'id', where: '"usedAt" <= ?', params: (c) => [c.now] },
  { name: 'trusted devices expired', table: 'TrustedDevice', key: 'id', where: '"expiresAt" <= ?', params: (c) => [c.now] },
  // "Expired" by the limiter's clock, which is the service's: rate-limit.ts reads the same one.
  { name: 'rate-limit counters expired', table: 'RateLimit', key: 'key', where: '"expire" <= ?', params: (c) => [c.now] },
  // A used verification token is deleted when used (auth/account-repository.ts): only the expired wait here.
  { name: 'verification tokens expired', table: 'EmailVerificationToken', key: 'id', where: '"expiresAt" <= ?', params: (c) => [c.now] },
  // Second-step challenges (auth/mfa/) and WebAuthn ceremonies (auth/passkeys/): 5 minutes each.
  { name: 'mfa challenges expired', table: 'MfaChallenge', key: 'id', where: '"expiresAt" <= ?', params: (c) => [c.now] },
  { name: 'passkey challenges expired', table: 'PasskeyChallenge', key: 'id', where: '"expiresAt" <= ?', params: (c) => [c.now] },
];

/** One batch's statement, with `?` placeholders: the sweep's parameters, then the limit. */
export function batchStatement(sweep: Sweep): string {
  const { table, key, where } = sweep;
  return `DELETE FROM "${table}" WHERE "${key}" IN (SELECT "${key}" FROM "${table}" WHERE ${where} LIMIT ?)`;
}

export interface BatchResult {
  /** Fewer than the limit: none is left. */
  deleted: number;
  /**
   * SQLite: how long the batch held the database's one write lock, during which a write of the
   * service waits (on its event loop). Null where writers do not wait on a batch (PostgreSQL
   * locks only the dead rows it deletes).
   */
  lockHeldMs: number | null;
}

/** Runs batches of a sweep on one database (src/db/sweep-executor.ts). */
export interface SweepExecutor {
  /** Deletes at most `limit` dead rows. */
  deleteBatch(sweep: Sweep, cutoffs: SweepCutoffs, limit: number): Promise<BatchResult>;
  /** The run is over: what it held only while running (SQLite's worker thread) may go. */
  release(): Promise<void>;
}
