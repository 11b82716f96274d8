// The two WebAuthn ceremonies as @simplewebauthn/server runs them, with this service's policy
// written once: resident key and user verification required, attestation none, ES256/EdDSA/
// RS256, the options' timeout the challenge's lifetime. Verification answers a reason instead of
// throwing, so the service refuses every failure alike and keeps the reason for the audit line.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { CHALLENGE_TTL_MS } from './challenges.ts';

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

export function creationOptions(
  rp: RelyingParty,
  user: { id: string; email: string },
  challenge: string,
  exclude: Array<{ credentialId: string; transports: string[] }>,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
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
export function requestOptions(rp: RelyingParty, challenge: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
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
