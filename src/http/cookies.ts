// The service's cookies, their names and attributes written in one place (API.md, "Sessions and
// cookies"; SECURITY.md, "Device cookies"). Reading and writing go through the request's
// cookieStore from @whatwg-node/server-plugin-cookies, which turns what is set here into
// Set-Cookie headers on the response.
import type {} from '@whatwg-node/server-plugin-cookies';

/**
 * In production the names carry the `__Host-` prefix: browsers accept such a cookie only with
 * Secure, Path=/ and no Domain, so neither a sibling subdomain nor plain http can plant or
 * overwrite it. Over http in development browsers would drop it, so the plain name is used there.
 */
export function cookieNames(production: boolean): { session: string; device: string; passkeyLogin: string; mfaChallenge: string } {
  const prefix = production ? '__Host-' : '';
  return {
    session: `${prefix}session`,
    device: `${prefix}device`,
    passkeyLogin: `${prefix}passkey-login`,
    mfaChallenge: `${prefix}mfa-challenge`,
  };
}

export class SessionCookies {
  readonly #names: { session: string; device: string; passkeyLogin: string; mfaChallenge: string };

  constructor(
    private readonly request: Request,
    /** NODE_ENV=production: Secure and the __Host- names. */
    private readonly production: boolean,
  ) {
    this.#names = cookieNames(production);
  }

  readSessionToken(): Promise<string | null> {
    return this.read(this.#names.session);
  }

  /** The device cookie's token: proves only that this browser logged in to an account before. */
  readDeviceToken(): Promise<string | null> {
    return this.read(this.#names.device);
  }

  setSession(token: string, expiresAt: Date): Promise<void> {
    return this.write(this.#names.session, token, expiresAt.getTime(), 'lax');
  }

  clearSession(): Promise<void> {
    return this.write(this.#names.session, '', 0, 'lax');
  }

  /**
   * SameSite=Strict: only login and changePassword read it, both POSTs from the service's own
   * site; no cross-site navigation ever needs it.
   */
  setDevice(token: string, expiresAt: Date): Promise<void> {
    return this.write(this.#names.device, token, expiresAt.getTime(), 'strict');
  }

  clearDevice(): Promise<void> {
    return this.write(this.#names.device, '', 0, 'strict');
  }

  /** The token binding this browser's passkey login ceremonies (auth/passkeys/challenges.ts). */
  readPasskeyLoginToken(): Promise<string | null> {
    return this.read(this.#names.passkeyLogin);
  }

  /**
   * SameSite=Strict: passkeyLoginOptions and loginWithPasskey are both POSTs from the page doing
   * the ceremony, never a cross-site navigation, so Strict costs nothing; it keeps another site
   * from spending or planting this browser's login challenges. HttpOnly: no script reads it.
   */
  setPasskeyLogin(token: string, expiresAt: Date): Promise<void> {
    return this.write(this.#names.passkeyLogin, token, expiresAt.getTime(), 'strict');
  }

  /** The second step of a login (auth/mfa/): proves only that this browser gave the right password. */
  readMfaChallengeToken(): Promise<string | null> {
    return this.read(this.#names.mfaChallenge);
  }

  /** SameSite=Strict: only verifyMfa reads it, a POST from the service's own site. */
  setMfaChallenge(token: string, expiresAt: Date): Promise<void> {
    return this.write(this.#names.mfaChallenge, token, expiresAt.getTime(), 'strict');
  }

  clearMfaChallenge(): Promise<void> {
    return this.write(this.#names.mfaChallenge, '', 0, 'strict');
  }

  private async read(name: string): Promise<string | null> {
    const cookie = await this.request.cookieStore?.get(name);
    return cookie?.value ? cookie.value : null;
  }

  private async write(name: string, value: string, expires: number, sameSite: 'lax' | 'strict'): Promise<void> {
    await this.store().set({ name, value, path: '/', httpOnly: true, sameSite, secure: this.production, expires, domain: null });
  }

  private store() {
    if (this.request.cookieStore === undefined) throw new Error('useCookies() plugin is not installed');
    return this.request.cookieStore;
  }
}
