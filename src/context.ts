// The per-request context: who is calling (from the session cookie), from where, and the
// services a resolver may call. The session is looked up lazily and once per request.
import type { YogaInitialContext } from 'graphql-yoga';
import type { AccountService } from './auth/account-service.ts';
import type { AdminService } from './auth/admin-service.ts';
import type { MfaService } from './auth/mfa/mfa-service.ts';
import type { PasswordService } from './auth/password-service.ts';
import type { PasskeyService } from './auth/passkeys/service.ts';
import type { AuthenticatedSession, AuthService } from './auth/service.ts';
import { UnauthenticatedError } from './auth/errors.ts';
import { DatabaseNotReadyError } from './db/migrate/migrate-on-start.ts';
import type { ClientInfo } from './auth/records.ts';
import type { DatabaseClient } from './db/client.ts';
import { clientInfoOf, type ServerContext } from './http/client-info.ts';
import { SessionCookies } from './http/cookies.ts';
import type { AfterResponseTasks } from './http/after-response.ts';

/** The domain's services, one per area of the contract; resolvers call nothing else. */
export interface Services {
  /** Register, login, the session behind a cookie, and the caller's sessions. */
  auth: AuthService;
  /** Change and reset of the password. */
  password: PasswordService;
  /** The address's lifecycle: verification, change of address, deletion of the account. */
  account: AccountService;
  /** The operators' operations; who may call them is the schema's `admin` scope. */
  admin: AdminService;
  /** WebAuthn registration, passwordless login, and the caller's passkeys. */
  passkeys: PasskeyService;
  /** The second factor: TOTP enrolment, the second step of a login, recovery codes. */
  mfa: MfaService;
}

export interface Context extends Services {
  clientInfo: ClientInfo;
  cookies: SessionCookies;
  /** For the Pothos Prisma plugin only; resolvers go through `auth`. */
  prisma: DatabaseClient;
  /** The valid session this request carries, or null. */
  getSession(): Promise<AuthenticatedSession | null>;
  /** The session, or UNAUTHENTICATED. */
  requireSession(): Promise<AuthenticatedSession>;
  /** Runs `work` once the response has left (http/after-response.ts). */
  afterResponse(name: string, work: () => Promise<unknown>): void;
}

export interface ContextDeps {
  services: Services;
  prisma: DatabaseClient;
  isDatabaseMigrated: () => boolean;
  /** NODE_ENV=production: Secure cookies with __Host- names. */
  production: boolean;
  trustProxy: number;
  afterResponse: AfterResponseTasks;
}

export function createContextFactory(deps: ContextDeps) {
  return async (initial: YogaInitialContext & ServerContext): Promise<Context> => {
    // Fail the request now, as INTERNAL_SERVER_ERROR, rather than run it on missing tables.
    if (!deps.isDatabaseMigrated()) throw new DatabaseNotReadyError();
    const cookies = new SessionCookies(initial.request, deps.production);
    const token = await cookies.readSessionToken();
    let session: Promise<AuthenticatedSession | null> | null = null;
    const getSession = () => (session ??= deps.services.auth.authenticate(token));
    return {
      ...deps.services,
      prisma: deps.prisma,
      clientInfo: clientInfoOf(initial, deps.trustProxy),
      cookies,
      getSession,
      async requireSession() {
        const current = await getSession();
        if (current === null) throw new UnauthenticatedError();
        return current;
      },
      afterResponse(name, work) {
        deps.afterResponse.add(initial.request, { name, work });
      },
    };
  };
}
