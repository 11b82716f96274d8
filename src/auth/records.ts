// Plain records the domain works with: what repository.ts returns, never Prisma's own types,
// so the service and the schema do not change when the storage does.

export interface UserRecord {
  id: string;
  email: string;
  createdAt: Date;
  emailVerified: boolean;
  /** Read on every request (the session lookup), so a demotion counts from the next request. */
  role: Role;
  disabled: boolean;
}

export type Role = 'USER' | 'ADMIN';

/**
 * A row read with a selection the schema planned from the client's GraphQL selection (see
 * repository.ts, UserQuery): the `Known` fields the domain asked for, and whatever else the
 * client selected, which only the schema reads.
 */
export type SelectedRow<Known> = Known & { readonly [field: string]: unknown };

/** A user with what proves them: the hash, and the version it was read at (see repository.ts). */
export interface UserWithPasswordRecord extends UserRecord {
  passwordHash: string;
  credentialVersion: number;
}

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
}

export interface NewSession {
  userId: string;
  tokenHash: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ipAddress: string | null;
  /** The user's credentialVersion the session is started under. */
  credentialVersion: number;
}

/** The request's client, as the edge saw it; used for session metadata and logs. */
export interface ClientInfo {
  /** The full address in canonical form, for sessions and audit lines; null when unknown. */
  ipAddress: string | null;
  /**
   * What per-IP limits count on, derived from the address by the edge: one key for every host
   * of an IPv6 /64 (one site), one shared key for unknown addresses. Never null.
   */
  rateLimitKey: string;
  userAgent: string | null;
}

/** A browser the user logged in from (auth/trusted-devices.ts). */
export interface NewTrustedDevice {
  userId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
}
