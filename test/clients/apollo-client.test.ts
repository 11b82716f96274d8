// Apollo Client 4 (core) against the service listening on a real port, through the client
// code the README shows (examples/apollo-client.ts) and the typed operations apps use.
import type { ApolloClient } from '@apollo/client';
import { parse } from 'graphql';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createAuthClient, currentUser, logIn, logOut, verifySecondFactor } from '../../examples/apollo-client.ts';
import { oathtoolCode } from '../helpers/oathtool.ts';
import { createCookieFetch } from '../helpers/cookie-fetch.ts';
import {
  ChangePassword,
  ConfirmTotpEnrollment,
  Register,
  RevokeSession,
  Sessions,
  StartTotpEnrollment,
  ada,
} from '../helpers/operations.ts';
import { recordRequests, startTestServer, type TestServer } from '../helpers/server.ts';

function newClient(server: TestServer): ApolloClient {
  const client = createAuthClient(server.url, createCookieFetch().fetch);
  onTestFinished(() => client.stop());
  return client;
}

/** What a rejected Apollo call carries: the server's errors, codes included. */
function withCode(code: string, more: Record<string, unknown> = {}) {
  return { errors: [expect.objectContaining({ extensions: { code, ...more } })] };
}

describe('Apollo Client', () => {
  it('logs in with a second factor: MFA_REQUIRED, then verifyMfa with the code from the app', async () => {
    const server = await startTestServer();
    const client = newClient(server);
    await client.mutate({ mutation: Register, variables: ada });
    await logIn(client, ada.email, ada.password);
    const { data } = await client.mutate({ mutation: StartTotpEnrollment, variables: { currentPassword: ada.password } });
    const { secret } = data!.startTotpEnrollment;
    await client.mutate({ mutation: ConfirmTotpEnrollment, variables: { code: oathtoolCode(secret, server.clock.now()) } });
    await logOut(client);
    server.clock.advanceSeconds(30);

    expect(await logIn(client, ada.email, ada.password)).toEqual({ user: null, code: 'MFA_REQUIRED' });
    expect(await currentUser(client)).toBeNull();
    expect(await verifySecondFactor(client, '000000')).toEqual({ user: null, code: 'INVALID_CODE' });
    expect(await verifySecondFactor(client, oathtoolCode(secret, server.clock.now()))).toMatchObject({
      user: { email: ada.email },
      code: null,
    });
    expect(await currentUser(client)).toMatchObject({ email: ada.email });
  });

  it('registers, fails a login, logs in, lists its session, changes the password and logs out', async () => {
    const server = await startTestServer();
    const client = newClient(server);

    const { data: registered } = await client.mutate({ mutation: Register, variables: ada });
    expect(registered?.register.email).toBe(ada.email);
    expect(await currentUser(client)).toBeNull();

    expect(await logIn(client, ada.email, 'not the password')).toEqual({ user: null, code: 'INVALID_CREDENTIALS' });
    expect(await logIn(client, ada.email, ada.password)).toMatchObject({ user: { email: ada.email }, code: null });
    expect(await currentUser(client)).toMatchObject({ email: ada.email });

    const { data: listed } = await client.query({ query: Sessions });
    expect(listed?.sessions).toEqual([expect.objectContaining({ current: true })]);

    // changePassword replaces the session cookie: the client must carry the new one from here on.
    const newPassword = 'a brand new passphrase';
    await client.mutate({ mutation: ChangePassword, variables: { currentPassword: ada.password, newPassword } });
    expect(await currentUser(client)).toMatchObject({ email: ada.email });

    await logOut(client);
    expect(await currentUser(client)).toBeNull();
    await expect(client.query({ query: Sessions })).rejects.toMatchObject(withCode('UNAUTHENTICATED'));
    expect(await server.prisma.session.count()).toBe(0);
  });

  it('keeps one session per client: a session revoked from another device is over', async () => {
    const server = await startTestServer();
    const laptop = newClient(server);
    const phone = newClient(server);
    await laptop.mutate({ mutation: Register, variables: ada });
    await logIn(laptop, ada.email, ada.password);
    await logIn(phone, ada.email, ada.password);

    const { data } = await phone.query({ query: Sessions });
    expect(data?.sessions).toHaveLength(2);
    const laptopSession = data!.sessions.find((session) => !session.current)!;
    expect((await phone.mutate({ mutation: RevokeSession, variables: { id: laptopSession.id } })).data).toEqual({ revokeSession: true });

    await laptop.clearStore(); // the app learns of it only by asking again
    expect(await currentUser(laptop)).toBeNull();
    expect(await currentUser(phone)).toMatchObject({ email: ada.email });
  });

  it('hands the server’s error codes to the app, for refused requests too', async () => {
    const server = await startTestServer();
    const client = newClient(server);
    await client.mutate({ mutation: Register, variables: ada });

    await expect(client.mutate({ mutation: Register, variables: ada })).rejects.toMatchObject(withCode('EMAIL_TAKEN'));
    await expect(client.mutate({ mutation: Register, variables: { ...ada, email: 'not an email' } })).rejects.toMatchObject(
      withCode('BAD_USER_INPUT', { field: 'email' }),
    );
    await expect(client.query({ query: Sessions })).rejects.toMatchObject(withCode('UNAUTHENTICATED'));
    // Refused before execution with HTTP 400; Apollo still reads the GraphQL errors in the body.
    await expect(client.query({ query: parse('{ me { password } }') })).rejects.toMatchObject(withCode('GRAPHQL_VALIDATION_FAILED'));
  });

  it('sends every operation as a JSON POST, which the service’s CSRF rules expect', async () => {
    const server = await startTestServer();
    const seen = recordRequests(server.server);
    const client = newClient(server);
    await currentUser(client);
    await logIn(client, ada.email, ada.password);
    expect(seen).toEqual([
      { method: 'POST', contentType: 'application/json' },
      { method: 'POST', contentType: 'application/json' },
    ]);
  });
});
