// The session cookie, its attributes written in one place (API.md, "Sessions and cookies").
// Reading and writing go through the request's cookieStore from @whatwg-node/server-plugin-cookies,
// which turns what is set here into Set-Cookie headers on the response.
import type {} from '@whatwg-node/server-plugin-cookies';

export const SESSION_COOKIE = 'session';

export class SessionCookies {
  constructor(
    private readonly request: Request,
    private readonly secure: boolean,
  ) {}

  async readSessionToken(): Promise<string | null> {
    const cookie = await this.request.cookieStore?.get(SESSION_COOKIE);
    return cookie?.value ? cookie.value : null;
  }

  async setSession(token: string, expiresAt: Date): Promise<void> {
    await this.store().set({
      name: SESSION_COOKIE,
      value: token,
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      expires: expiresAt.getTime(),
      domain: null,
    });
  }

  async clearSession(): Promise<void> {
    await this.store().set({
      name: SESSION_COOKIE,
      value: '',
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      expires: 0,
      domain: null,
    });
  }

  private store() {
    if (this.request.cookieStore === undefined) throw new Error('useCookies() plugin is not installed');
    return this.request.cookieStore;
  }
}
