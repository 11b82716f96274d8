// Passkeys (API.md, "Passkeys"): registration by a logged-in user and passwordless login.
// @simplewebauthn/server runs the ceremonies (ceremonies.ts: options, signatures, flags, origin,
// RP ID, counter); this service keeps the storage, binds every challenge to its caller, and
// holds the cap of MAX_PASSKEYS_PER_USER. Every refusal of a response that does not verify is
// one INVALID_CREDENTIALS; the audit line keeps the real reason.
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { AccountDisabledError, InvalidCredentialsError, InvalidInputError } from '../errors.ts';
import type { ClientInfo, SelectedRow } from '../records.ts';
import type { UserQuery } from '../repository.ts';
import type { AuthenticatedSession, AuthServiceDeps, IssuedSession, LoggedIn } from '../service.ts';
import { creationOptions, requestOptions, verifyAssertion, verifyRegistration, type RelyingParty } from './ceremonies.ts';
import {
  browserOwner,
  hashChallenge,
  issueChallenge,
  loginChallengeToken,
  MAX_PENDING_CHALLENGES_PER_OWNER,
  sessionOwner,
  type Ceremony,
} from './challenges.ts';
import { PasskeyCapReachedError, PasskeyTakenError, type PasskeyQuery, type PasskeyRepository } from './repository.ts';
import { parseAuthenticationResponse, parseRegistrationResponse, signedChallengeOf } from './responses.ts';

/** API.md: a user holds at most 10 passkeys. */
export const MAX_PASSKEYS_PER_USER = 10;

const MAX_NAME_LENGTH = 64;
const MAX_ID_LENGTH = 64;

export type { RelyingParty } from './ceremonies.ts';

/** What a passkey login needs of the session rules (AuthService.startSessionFor). */
export interface SessionStarter {
  startSessionFor(
    user: { id: string; credentialVersion: number },
    client: ClientInfo,
    carriedSessionId: string | null,
    deviceToken: string | null,
  ): Promise<{ session: IssuedSession; device: IssuedSession } | null>;
}

/** Login options, and the login-challenge cookie the edge sets with them. */
export interface LoginOptions {
  options: PublicKeyCredentialRequestOptionsJSON;
  challengeCookie: { token: string; expiresAt: Date };
}

export class PasskeyCapError extends InvalidInputError {
  constructor() {
    super('response', `You already have ${MAX_PASSKEYS_PER_USER} passkeys: remove one before adding another.`);
  }
}

export class PasskeyService {
  constructor(
    private readonly deps: AuthServiceDeps,
    private readonly passkeys: PasskeyRepository,
    private readonly rp: RelyingParty,
    private readonly sessions: SessionStarter,
  ) {}

  async registrationOptions(current: AuthenticatedSession, client: ClientInfo): Promise<PublicKeyCredentialCreationOptionsJSON> {
    await this.deps.limits.consume('passkeyOptionsPerIp', client.rateLimitKey, client);
    const existing = await this.passkeys.listCredentialsOf(current.user.id);
    if (existing.length >= MAX_PASSKEYS_PER_USER) throw new PasskeyCapError();
    const { challenge } = await this.#storeChallenge('registration', sessionOwner(current.session.id), current.user.id);
    return creationOptions(
      this.rp,
      current.user,
      challenge,
      existing.map((row) => ({ ...row, transports: transportsOf(row.transports) })),
    );
  }

  /** Verifies the response to this session's options and stores the passkey. */
  async register(
    current: AuthenticatedSession,
    input: { response?: unknown; name?: string | null },
    client: ClientInfo,
    query: PasskeyQuery,
  ): Promise<SelectedRow<{ id: string }>> {
    const response = parseRegistrationResponse(input.response);
    const name = normaliseName(input.name);
    const userId = current.user.id;
    const refuse = (reason: string): never => {
      this.deps.audit.record('passkey-added', client, { outcome: 'failure', reason, userId });
      throw new InvalidCredentialsError();
    };
    const challenge = await this.#consumeChallenge(response, 'registration', sessionOwner(current.session.id), userId);
    if (challenge === null) return refuse('unknown-challenge');
    const verified = await verifyRegistration(this.rp, response, challenge);
    if (!verified.ok) return refuse(verified.reason);
    try {
      const created = await this.passkeys.createPasskey(
        { ...verified.credential, userId, name, createdAt: this.deps.clock.now() },
        MAX_PASSKEYS_PER_USER,
        query,
      );
      if (created === null) return refuse('user-gone');
      this.deps.audit.record('passkey-added', client, { outcome: 'success', userId, passkeyId: created.id });
      return created;
    } catch (error) {
      if (error instanceof PasskeyCapReachedError) {
        this.deps.audit.record('passkey-added', client, { outcome: 'failure', reason: 'cap', userId });
        throw new PasskeyCapError();
      }
      if (error instanceof PasskeyTakenError) return refuse('credential-registered-already');
      throw error;
    }
  }

  /**
   * Options for a discoverable-credential login: no email is asked and no credential listed, so
   * nothing about accounts is told. The challenge belongs to this browser's login cookie.
   */
  async loginOptions(carriedCookie: string | null, client: ClientInfo): Promise<LoginOptions> {
    await this.deps.limits.consume('passkeyOptionsPerIp', client.rateLimitKey, client);
    const token = loginChallengeToken(carriedCookie);
    const { challenge, expiresAt } = await this.#storeChallenge('login', browserOwner(token)!, null);
    const options = await requestOptions(this.rp, challenge);
    return { options, challengeCookie: { token, expiresAt } };
  }

  /**
   * A login complete on its own (API.md: no MFA_REQUIRED): the session starts exactly as after a
   * password login. `carriedCookie` is the request's login-challenge cookie.
   */
  async login(
    input: { response?: unknown },
    carriedCookie: string | null,
    client: ClientInfo,
    carried: AuthenticatedSession | null,
    deviceToken: string | null,
    query: UserQuery,
  ): Promise<LoggedIn> {
    const response = parseAuthenticationResponse(input.response);
    await this.deps.limits.consume('passkeyLoginPerIp', client.rateLimitKey, client);
    const refuse = (reason: string, userId: string | null = null): never => {
      this.deps.audit.record('login', client, { outcome: 'failure', method: 'passkey', reason, userId });
      throw new InvalidCredentialsError();
    };
    const owner = browserOwner(carriedCookie);
    const challenge = owner === null ? null : await this.#consumeChallenge(response, 'login', owner, null);
    if (challenge === null) return refuse('unknown-challenge');
    const passkey = await this.passkeys.findForLogin(response.id, query);
    if (passkey === null) return refuse('unknown-credential');
    const userHandle = response.response.userHandle;
    if (userHandle !== undefined && Buffer.from(userHandle, 'base64url').toString('utf8') !== passkey.userId) {
      return refuse('user-handle-mismatch', passkey.userId);
    }
    const verified = await verifyAssertion(this.rp, response, challenge, {
      credentialId: passkey.credentialId,
      publicKey: passkey.publicKey,
      counter: Number(passkey.counter),
      transports: transportsOf(passkey.transports),
    });
    if (!verified.ok) return refuse(verified.reason, passkey.userId);
    if (passkey.user.disabled) {
      // Only now that the passkey is proven, as for a password (API.md): a stranger learns nothing.
      this.deps.audit.record('login', client, {
        outcome: 'failure',
        method: 'passkey',
        reason: 'account-disabled',
        userId: passkey.userId,
      });
      throw new AccountDisabledError();
    }
    const now = this.deps.clock.now();
    if (!(await this.passkeys.recordUse({ id: passkey.id, fromCounter: passkey.counter, toCounter: verified.newCounter, now }))) {
      return refuse('counter-raced', passkey.userId);
    }
    const started = await this.sessions.startSessionFor(passkey.user, client, carried?.session.id ?? null, deviceToken);
    if (started === null) return refuse('credentials-changed', passkey.userId);
    this.deps.audit.record('login', client, { outcome: 'success', method: 'passkey', userId: passkey.userId, passkeyId: passkey.id });
    const { credentialVersion: _version, ...user } = passkey.user;
    return { user, ...started };
  }

  list(current: AuthenticatedSession, query: PasskeyQuery): Promise<Array<SelectedRow<{ id: string }>>> {
    return this.passkeys.listPasskeys(current.user.id, query);
  }

  /** False alike for an unknown id and another user's passkey (API.md). */
  async remove(current: AuthenticatedSession, id: string, client: ClientInfo): Promise<boolean> {
    if (id.length === 0 || id.length > MAX_ID_LENGTH) throw new InvalidInputError('id', 'Passkey id is not valid.');
    const removed = await this.passkeys.deletePasskey(current.user.id, id);
    this.deps.audit.record('passkey-removed', client, {
      outcome: removed ? 'success' : 'not-found',
      userId: current.user.id,
      passkeyId: id,
    });
    return removed;
  }

  async #storeChallenge(ceremony: Ceremony, owner: string, userId: string | null): Promise<{ challenge: string; expiresAt: Date }> {
    const issued = issueChallenge(ceremony, owner, userId, this.deps.clock.now());
    await this.passkeys.storeChallenge(issued.row, MAX_PENDING_CHALLENGES_PER_OWNER);
    return { challenge: issued.challenge, expiresAt: issued.row.expiresAt };
  }

  /** The signed challenge, once consumed as this caller's live one; null otherwise. */
  async #consumeChallenge(
    response: { response: { clientDataJSON: string } },
    ceremony: Ceremony,
    owner: string,
    userId: string | null,
  ): Promise<string | null> {
    const challenge = signedChallengeOf(response);
    if (challenge === null) return null;
    const consumed = await this.passkeys.consumeChallenge({
      challengeHash: hashChallenge(challenge),
      ceremony,
      owner,
      userId,
      now: this.deps.clock.now(),
    });
    return consumed ? challenge : null;
  }
}

/** Trimmed; empty means no name. Refused characters are refused at the edge (http/input-rules.ts). */
function normaliseName(name: string | null | undefined): string | null {
  const trimmed = name?.trim() ?? '';
  if (trimmed.length > MAX_NAME_LENGTH) throw new InvalidInputError('name', `name must be at most ${MAX_NAME_LENGTH} characters.`);
  return trimmed === '' ? null : trimmed;
}

function transportsOf(stored: string): string[] {
  return stored.split(',').filter((t) => t !== '');
}
