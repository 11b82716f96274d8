// A software authenticator: what a platform authenticator does for navigator.credentials, in
// node:crypto, so tests run both WebAuthn ceremonies against the real server library. ES256 keys
// (P-256), attestation "none", resident credentials (it remembers each with its user handle).
// Every field a test may want wrong can be set wrong per call: the user-verified flag, the
// origin, the RP ID, the challenge, the counter, the signature.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/** Minimal CBOR (RFC 8949): the types an attestation object and a COSE key use. */
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function cborHead(major: number, value: number): Buffer {
  if (value < 24) return Buffer.from([(major << 5) | value]);
  if (value < 0x100) return Buffer.from([(major << 5) | 24, value]);
  if (value < 0x10000) return Buffer.from([(major << 5) | 25, value >> 8, value & 0xff]);
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(value, 1);
  return head;
}

export function encodeCbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value]);
  const entries = [...value].flatMap(([k, v]) => [encodeCbor(k), encodeCbor(v)]);
  return Buffer.concat([cborHead(5, value.size), ...entries]);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const b64url = (data: Uint8Array | string) => Buffer.from(data).toString('base64url');

export interface StoredCredential {
  id: Buffer;
  privateKey: KeyObject;
  /** The user handle the RP gave (base64url), returned with every assertion. */
  userHandle: string;
  rpId: string;
  signCount: number;
}

/** What a test may set wrong in one ceremony. */
export interface CeremonyOverrides {
  userVerified?: boolean;
  origin?: string;
  rpId?: string;
  /** Sign this challenge instead of the options' one. */
  challenge?: string;
}

export interface AssertionOverrides extends CeremonyOverrides {
  /** Which of the remembered credentials answers; default the newest for the RP. */
  credential?: StoredCredential;
  /** The signature counter to report; default the next one (counting authenticators) or 0. */
  signCount?: number;
  /** Flip a bit of the signature. */
  badSignature?: boolean;
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string };
  user: { id: string };
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
}

export class SoftwareAuthenticator {
  readonly credentials: StoredCredential[] = [];

  constructor(
    private readonly defaults: { origin: string; rpId: string; countsSignatures?: boolean; synced?: boolean } = {
      origin: 'http://localhost:4000',
      rpId: 'localhost',
    },
  ) {}

  /** navigator.credentials.create(): a new resident credential and its RegistrationResponseJSON. */
  create(options: unknown, overrides: CeremonyOverrides = {}) {
    const { challenge, rp, user } = options as CreationOptions;
    const rpId = overrides.rpId ?? rp.id ?? this.defaults.rpId;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = new Map<Cbor, Cbor>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const credential: StoredCredential = { id: randomBytes(16), privateKey, userHandle: user.id, rpId, signCount: 0 };
    const attested = Buffer.concat([Buffer.alloc(16), Buffer.from([0, credential.id.length]), credential.id, encodeCbor(coseKey)]);
    const authData = Buffer.concat([this.#authDataHead(rpId, FLAG_AT, overrides, 0), attested]);
    const attestationObject = encodeCbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    this.credentials.push(credential);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON: this.#clientData('webauthn.create', challenge, overrides),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get() with a discoverable credential: an AuthenticationResponseJSON. */
  get(options: unknown, overrides: AssertionOverrides = {}) {
    const { challenge, rpId: optionsRpId } = options as RequestOptions;
    const rpId = overrides.rpId ?? optionsRpId ?? this.defaults.rpId;
    const credential = overrides.credential ?? this.credentials.filter((c) => c.rpId === (optionsRpId ?? this.defaults.rpId)).at(-1);
    if (credential === undefined) throw new Error('the software authenticator holds no credential for this RP');
    const signCount = overrides.signCount ?? (this.defaults.countsSignatures ? credential.signCount + 1 : 0);
    credential.signCount = Math.max(credential.signCount, signCount);
    const authData = this.#authDataHead(rpId, 0, overrides, signCount);
    const clientDataJSON = this.#clientData('webauthn.get', challenge, overrides);
    const signature = sign('sha256', Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]), credential.privateKey);
    if (overrides.badSignature) signature[signature.length - 1]! ^= 0x01;
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** rpIdHash | flags | signCount (big-endian). */
  #authDataHead(rpId: string, extraFlags: number, overrides: CeremonyOverrides, signCount: number): Buffer {
    const uv = overrides.userVerified ?? true;
    const backup = this.defaults.synced ? FLAG_BE | FLAG_BS : 0;
    const flags = FLAG_UP | (uv ? FLAG_UV : 0) | backup | extraFlags;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(signCount);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), counter]);
  }

  #clientData(type: string, challenge: string, overrides: CeremonyOverrides): string {
    const origin = overrides.origin ?? this.defaults.origin;
    return b64url(JSON.stringify({ type, challenge: overrides.challenge ?? challenge, origin, crossOrigin: false }));
  }
}
