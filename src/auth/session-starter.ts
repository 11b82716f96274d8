// Starting a session after the credentials were proven: the session cookie's row and a fresh
// device cookie, in one transaction. One module, because a login completes in two places:
// `login` (AuthService) and, for an account with a second factor, `verifyMfa` (MfaService).
import type { ClientInfo } from './records.ts';
import type { AuthServiceDeps, IssuedSession } from './service.ts';
import { issueSession } from './sessions.ts';
import { issueTrustedDevice } from './trusted-devices.ts';

export type SessionStarterDeps = Pick<AuthServiceDeps, 'repo' | 'clock' | 'sessionPolicy' | 'devicePolicy'>;

/**
 * A session and a fresh device cookie (replacing `deviceId`, the one the request carried); ends
 * `endSessionId`, the session the request carried (no fixation). Null when the user's
 * credentials changed since `user.credentialVersion` was read with the password.
 */
export async function startSession(
  deps: SessionStarterDeps,
  user: { id: string; credentialVersion: number },
  client: ClientInfo,
  endSessionId: string | null,
  deviceId: string | null,
): Promise<{ session: IssuedSession; device: IssuedSession } | null> {
  const now = deps.clock.now();
  const { token, session } = issueSession(user, client, now, deps.sessionPolicy);
  const device = issueTrustedDevice(user.id, now, deps.devicePolicy);
  const created = await deps.repo.createSession({
    session,
    endSessionId,
    maxPerUser: deps.sessionPolicy.maxPerUser,
    device: { row: device.device, replacesId: deviceId, maxPerUser: deps.devicePolicy.maxPerUser },
  });
  if (created === null) return null;
  return { session: { token, expiresAt: session.expiresAt }, device: { token: device.token, expiresAt: device.device.expiresAt } };
}
