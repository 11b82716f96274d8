// The shape of what the browser sends back (WebAuthn's JSON forms, as @simplewebauthn/browser
// produces them), checked before any lookup: a malformed response is the client's mistake and
// answers BAD_USER_INPUT naming `response`; a well-formed one that does not verify answers
// INVALID_CREDENTIALS (passkey-service.ts). Unknown members are dropped, so only what the
// verifier reads reaches it.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import { InvalidInputError } from '../errors.ts';

/** Bounds well above any real authenticator's output (an RSA-4096 key is about 550 bytes). */
const base64url = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .regex(/^[A-Za-z0-9_-]*$/);
const credentialId = base64url(1366).min(1); // WebAuthn: credential ids are at most 1023 bytes
const clientDataJSON = base64url(4096).min(1);
const attachment = z.enum(['platform', 'cross-platform']).optional();
const extensionResults = z.record(z.string().max(64), z.unknown()).default({});

const registrationSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON,
    attestationObject: base64url(8192).min(1),
    authenticatorData: base64url(8192).optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(8192).optional(),
  }),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensionResults,
});

const authenticationSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON,
    authenticatorData: base64url(8192).min(1),
    signature: base64url(2048).min(1),
    userHandle: base64url(128).optional(),
  }),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensionResults,
});

function refuse(): never {
  throw new InvalidInputError('response', 'response must be the JSON of a WebAuthn credential, as @simplewebauthn/browser returns it.');
}

export function parseRegistrationResponse(value: unknown): RegistrationResponseJSON {
  const parsed = registrationSchema.safeParse(value);
  if (!parsed.success) refuse();
  return parsed.data as RegistrationResponseJSON;
}

export function parseAuthenticationResponse(value: unknown): AuthenticationResponseJSON {
  const parsed = authenticationSchema.safeParse(value);
  if (!parsed.success) refuse();
  return parsed.data as AuthenticationResponseJSON;
}

/**
 * The challenge the client data says was signed, to find the stored one by; null when the client
 * data is not what a browser writes (the response is then refused like any that does not verify).
 */
export function signedChallengeOf(response: { response: { clientDataJSON: string } }): string | null {
  try {
    const clientData: unknown = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8'));
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(challenge) ? challenge : null;
  } catch {
    return null;
  }
}
