// Plain records the domain works with: what repository.ts returns, never Prisma's own types,
// so the service and the schema do not change when the storage does.

export interface UserRecord {
  id: string;
  email: string;
  createdAt: Date;
}

export interface UserWithPasswordRecord extends UserRecord {
  passwordHash: string;
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
