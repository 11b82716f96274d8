import { Client, fetchExchange } from '@urql/core';
import { LoginDocument, LogoutDocument, MeDocument, VerifyMfaDocument } from '../operations/generated/graphql.ts';

export function createAuthClient(url: string, fetch: typeof globalThis.fetch = globalThis.fetch) {
  return new Client({
    url,
    // The session is an HttpOnly cookie: the app never sees it, the browser sends it.
    // 'include' also sends it to an API on another origin (listed in its CORS_ORIGINS).
    fetchOptions: { credentials: 'include' },
    fetch,
    // JSON POSTs for queries too (urql would otherwise send queries as GET).
    preferGetMethod: false,
    // No document cache: `logout` answers a Boolean, so urql's cacheExchange could not know
    // that `me` changed, and would go on answering with the user who logged out.
    exchanges: [fetchExchange],
  });
}

/**
 * The user, or the error code: INVALID_CREDENTIALS, BAD_USER_INPUT, RATE_LIMITED… and
 * MFA_REQUIRED when the account has two-factor authentication on: the password was right, and
 * the app now asks for a code and sends it with verifySecondFactor.
 */
export async function logIn(client: Client, email: string, password: string) {
  const { data, error } = await client.mutation(LoginDocument, { email, password }).toPromise();
  if (error?.networkError) throw error.networkError;
  if (error) return { user: null, code: error.graphQLErrors[0]?.extensions.code };
  return { user: data!.login, code: null };
}

/**
 * The second step of a login that answered MFA_REQUIRED: a 6-digit code from the authenticator
 * app, or a recovery code (the challenge rides in an HttpOnly cookie). The user, or the error
 * code: INVALID_CODE (ask again), UNAUTHENTICATED (log in again), RATE_LIMITED.
 */
export async function verifySecondFactor(client: Client, code: string) {
  const { data, error } = await client.mutation(VerifyMfaDocument, { code }).toPromise();
  if (error?.networkError) throw error.networkError;
  if (error) return { user: null, code: error.graphQLErrors[0]?.extensions.code };
  return { user: data!.verifyMfa, code: null };
}

export async function currentUser(client: Client) {
  const { data, error } = await client.query(MeDocument, {}).toPromise();
  if (error) throw error;
  return data!.me;
}

export async function logOut(client: Client) {
  const { error } = await client.mutation(LogoutDocument, {}).toPromise();
  if (error) throw error;
}
