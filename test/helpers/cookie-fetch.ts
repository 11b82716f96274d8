// A fetch that keeps cookies the way a browser does (tough-cookie applies the Set-Cookie rules:
// expiry, Path, HttpOnly, deletion by an expired cookie), for clients running in Node.
import makeFetchCookie from 'fetch-cookie';
import { CookieJar } from 'tough-cookie';

export function createCookieFetch(): { fetch: typeof fetch; jar: CookieJar } {
  const jar = new CookieJar();
  return { fetch: makeFetchCookie(fetch, jar) as typeof fetch, jar };
}
