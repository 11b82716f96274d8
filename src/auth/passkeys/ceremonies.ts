// The two WebAuthn ceremonies as @simplewebauthn/server runs them, with this service's policy
// written once: resident key and user verification required, attestation none, ES256/EdDSA/
// RS256, the options' timeout the challenge's lifetime. Verification answers a reason instead of
// throwing, so the service refuses every failure alike and keeps the reason for the audit line.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { CHALLENGE_TTL_MS } from './challenges.ts';

/**
 * The library, loaded at the first ceremony rather than at start-up, with its ASN.1 and COSE
 * dependencies: a service whose users never use a passkey does not load them. Measured: 22 MiB
 * of RSS around a bare import; in the built service after 5000 `me` requests, a peak RSS of
 * 136.2 MiB against 138.1 MiB when it was loaded at start-up.
 */
let library: Promise<typeof import('@simplewebauthn/server')> | null = null;
function webauthn(): Promise<typeof import('@simplewebauthn/server')> {
  library ??= import('@simplewebauthn/server');
  return library;
}

/** ES256 (-7), EdDSA (-8), RS256 (-257), in the order of preference they are offered (API.md). */
export const ALGORITHMS = [-7, -8, -257];

export interface RelyingParty {
  rpId: string;
  rpName: string;
  origins: readonly string[];
}

export type Verified<T> = ({ ok: true } & T) | { ok: false; reason: string };

/** A verified new credential, as it is stored. */
export interface NewCredential {
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
}

export async function creationOptions(
  rp: RelyingParty,
  user: { id: string; email: string },
  challenge: string,
  exclude: Array<{ credentialId: string; transports: string[] }>,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { generateRegistrationOptions } = await webauthn();
  return generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    // The user handle authenticators keep: the account's random id, never the address.
    userID: new TextEncoder().encode(user.id),
    userName: user.email,
    userDisplayName: user.email,
    challenge: Buffer.from(challenge, 'base64url'),
    timeout: CHALLENGE_TTL_MS,
    attestationType: 'none',
    excludeCredentials: exclude.map((row) => ({ id: row.credentialId, transports: row.transports })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    supportedAlgorithmIDs: ALGORITHMS,
  });
}

/** Discoverable credentials: no list, so the options are the same for everybody. */
export async function requestOptions(rp: RelyingParty, challenge: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { generateAuthenticationOptions } = await webauthn();
  return generateAuthenticationOptions({
    rpID: rp.rpId,
    challenge: Buffer.from(challenge, 'base64url'),
    timeout: CHALLENGE_TTL_MS,
    userVerification: 'required',
    allowCredentials: [],
  });
}

export async function verifyRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  challenge: string,
): Promise<Verified<{ credential: NewCredential }>> {
  const { verifyRegistrationResponse } = await webauthn();
  try {
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: [...rp.origins],
      expectedRPID: rp.rpId,
      requireUserPresence: true,
      requireUserVerification: true,
      supportedAlgorithmIDs: ALGORITHMS,
    });
    if (!verified.verified) return { ok: false, reason: 'not-verified' };
    const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
    return {
      ok: true,
      credential: {
        credentialId: credential.id,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: (credential.transports ?? []).filter((t) => /^[a-z-]{1,32}$/.test(t)),
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
      },
    };
  } catch (error) {
    return { ok: false, reason: `not-verified: ${errorMessage(error)}` };
  }
}

/** The signature, flags, origin, RP ID and counter of an assertion by a stored credential. */
export async function verifyAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  challenge: string,
  credential: { credentialId: string; publicKey: Uint8Array; counter: number; transports: string[] },
): Promise<Verified<{ newCounter: number }>> {
  const { verifyAuthenticationResponse } = await webauthn();
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: [...rp.origins],
      expectedRPID: rp.rpId,
      credential: {
        id: credential.credentialId,
        publicKey: Uint8Array.from(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports,
      },
      requireUserVerification: true,
    });
    return verified.verified ? { ok: true, newCounter: verified.authenticationInfo.newCounter } : { ok: false, reason: 'bad-signature' };
  } catch (error) {
    return { ok: false, reason: `not-verified: ${errorMessage(error)}` };
  }
}

/** The verifier's reason, for the audit line only: it names checks, never key material. */
function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
