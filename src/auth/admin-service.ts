// The operators' operations (API.md, "Operators"). Who may call them is decided in one place,
// the schema's `admin` auth scope (schema/admin.ts); here are the rules of each action, and an
// audit event naming the actor and the target for every one of them.
import type { AdminRepository, UserCursor } from './admin-repository.ts';
import { InvalidInputError } from './errors.ts';
import type { ClientInfo, Role, UserRecord } from './records.ts';
import type { AuthenticatedSession, AuthServiceDeps } from './service.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const MAX_SEARCH_LENGTH = 254;
const MAX_ID_LENGTH = 64;

export interface AdminServiceDeps extends AuthServiceDeps {
  admin: AdminRepository;
}

export interface UserPage {
  users: Array<{ user: UserRecord; cursor: string }>;
  hasNextPage: boolean;
}

/** An opaque cursor: base64url of the row's (createdAt, id). */
export function encodeCursor(user: UserCursor): string {
  return Buffer.from(JSON.stringify([user.createdAt.toISOString(), user.id])).toString('base64url');
}

function decodeCursor(cursor: string): UserCursor {
  const refuse = () => new InvalidInputError('after', 'after is not a cursor this API returned.');
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(createdAt));
    if (typeof createdAt !== 'string' || typeof id !== 'string' || Number.isNaN(date.getTime())) throw refuse();
    return { createdAt: date, id };
  } catch {
    throw refuse();
  }
}

function assertId(id: string): string {
  if (id.length === 0 || id.length > MAX_ID_LENGTH) throw new InvalidInputError('id', 'User id is not valid.');
  return id;
}

export class AdminService {
  constructor(private readonly deps: AdminServiceDeps) {}

  async listUsers(input: { search?: string | null; first?: number | null; after?: string | null }): Promise<UserPage> {
    const first = input.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new InvalidInputError('first', `first must be from 1 to ${MAX_PAGE_SIZE}.`);
    }
    const search = input.search?.trim().normalize('NFC').toLowerCase() || null;
    if (search !== null && search.length > MAX_SEARCH_LENGTH) throw new InvalidInputError('search', 'search is too long.');
    const after = input.after ? decodeCursor(input.after) : null;
    const rows = await this.deps.admin.listUsers({ search, after, take: first + 1 });
    const page = rows.slice(0, first);
    return { users: page.map((user) => ({ user, cursor: encodeCursor(user) })), hasNextPage: rows.length > first };
  }

  /** Ends every session of the user at once (on every instance: the lookup reads the database). */
  async disableUser(actor: AuthenticatedSession, id: string, client: ClientInfo): Promise<boolean> {
    this.assertNotSelf(actor, assertId(id), 'disable');
    const done = await this.deps.admin.setDisabled(id, true);
    this.record('admin-user-disabled', actor, id, client, done === null ? 'not-found' : 'success', done?.sessionsEnded);
    return done !== null;
  }

  async enableUser(actor: AuthenticatedSession, id: string, client: ClientInfo): Promise<boolean> {
    const done = await this.deps.admin.setDisabled(assertId(id), false);
    this.record('admin-user-enabled', actor, id, client, done === null ? 'not-found' : 'success');
    return done !== null;
  }

  async revokeUserSessions(actor: AuthenticatedSession, id: string, client: ClientInfo): Promise<number> {
    const count = await this.deps.admin.deleteSessions(assertId(id));
    this.record('admin-sessions-revoked', actor, id, client, 'success', count);
    return count;
  }

  /** Not on oneself: the last administrator must not be able to demote themselves by mistake. */
  async setUserRole(actor: AuthenticatedSession, id: string, role: Role, client: ClientInfo): Promise<boolean> {
    this.assertNotSelf(actor, assertId(id), 'change the role of');
    const done = await this.deps.admin.setRole(id, role);
    this.record('admin-role-changed', actor, id, client, done ? 'success' : 'not-found', undefined, role);
    return done;
  }

  async deleteUser(actor: AuthenticatedSession, id: string, client: ClientInfo): Promise<boolean> {
    this.assertNotSelf(actor, assertId(id), 'delete');
    const user = await this.deps.admin.findUser(id);
    const done = user !== null && (await this.deps.admin.deleteUser(id));
    if (user !== null && done) await this.deps.limits.forgetAccount({ email: user.email, userId: user.id });
    this.record('admin-user-deleted', actor, id, client, done ? 'success' : 'not-found');
    return done;
  }

  private assertNotSelf(actor: AuthenticatedSession, id: string, what: string): void {
    if (actor.user.id === id) throw new InvalidInputError('id', `Administrators cannot ${what} their own account.`);
  }

  private record(
    event: 'admin-user-disabled' | 'admin-user-enabled' | 'admin-sessions-revoked' | 'admin-role-changed' | 'admin-user-deleted',
    actor: AuthenticatedSession,
    targetId: string,
    client: ClientInfo,
    outcome: string,
    count?: number,
    role?: Role,
  ): void {
    this.deps.audit.record(event, client, {
      outcome,
      actorId: actor.user.id,
      userId: targetId,
      ...(count === undefined ? {} : { count }),
      ...(role === undefined ? {} : { role }),
    });
  }
}
