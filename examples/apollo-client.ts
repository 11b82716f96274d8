import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { LoginDocument, LogoutDocument, MeDocument, VerifyMfaDocument } from '../operations/generated/graphql.ts';

export function createAuthClient(uri: string, fetch: typeof globalThis.fetch = globalThis.fetch) {
  return new ApolloClient({
    // The session is an HttpOnly cookie: the app never sees it, the browser sends it.
    // 'include' also sends it to an API on another origin (listed in its CORS_ORIGINS).
    link: new HttpLink({ uri, credentials: 'include', fetch }),
    cache: new InMemoryCache(),
  });
}

/**
 * The user, or the error code: INVALID_CREDENTIALS, BAD_USER_INPUT, RATE_LIMITED… and
 * MFA_REQUIRED when the account has two-factor authentication on: the password was right, and
 * the app now asks for a code and sends it with verifySecondFactor.
 */
export async function logIn(client: ApolloClient, email: string, password: string) {
  const { data, error } = await client.mutate({
    mutation: LoginDocument,
    variables: { email, password },
    errorPolicy: 'all',
  });
  if (CombinedGraphQLErrors.is(error)) return { user: null, code: error.errors[0]?.extensions?.code };
  if (error) throw error; // network or HTTP failure
  await client.resetStore(); // cached answers belonged to whoever was logged in before
  return { user: data!.login, code: null };
}

export async function currentUser(client: ApolloClient) {
  const { data } = await client.query({ query: MeDocument });
  return data?.me ?? null;
}

export async function logOut(client: ApolloClient) {
  await client.mutate({ mutation: LogoutDocument });
  await client.clearStore();
}

/**
 * The second step of a login that answered MFA_REQUIRED: a 6-digit code from the authenticator
 * app, or a recovery code. The challenge rides in an HttpOnly cookie, like the session. The
 * user, or the error code: INVALID_CODE (ask again), UNAUTHENTICATED (5 minutes or 5 wrong codes
 * are over: log in again), RATE_LIMITED (too many wrong codes: retryAfter says how long).
 */
export async function verifySecondFactor(client: ApolloClient, code: string) {
  const { data, error } = await client.mutate({ mutation: VerifyMfaDocument, variables: { code }, errorPolicy: 'all' });
  if (CombinedGraphQLErrors.is(error)) return { user: null, code: error.errors[0]?.extensions?.code };
  if (error) throw error;
  await client.resetStore();
  return { user: data!.verifyMfa, code: null };
}
