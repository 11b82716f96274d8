// urql (@urql/core) against the service listening on a real port, through the client code
// the README shows (examples/urql.ts) and the typed operations apps use.
import type { Client } from '@urql/core';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createAuthClient, currentUser, logIn, logOut, verifySecondFactor } from '../../examples/urql.ts';
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

function newClient(server: TestServer): Client {
  return createAuthClient(server.url, createCookieFetch().fetch);
}

/** An urql result's error: the server's errors, codes included. */
function withCode(code: string, more: Record<string, unknown> = {}) {
  return { error: { graphQLErrors: [expect.objectContaining({ extensions: { code, ...more } })] } };
}

describe('urql', () => {
  it('logs in with a second factor: MFA_REQUIRED, then verifyMfa with the code from the app', async () => {
    const server = await startTestServer();
    const client = newClient(server);
    await client.mutation(Register, ada).toPromise();
    await logIn(client, ada.email, ada.password);
    const started = await client.mutation(StartTotpEnrollment, { currentPassword: ada.password }).toPromise();
    const { secret } = started.data!.startTotpEnrollment;
    await client.mutation(ConfirmTotpEnrollment, { code: oathtoolCode(secret, server.clock.now()) }).toPromise();
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

    const registered = await client.mutation(Register, ada).toPromise();
    expect(registered.data?.register.email).toBe(ada.email);
    expect(await currentUser(client)).toBeNull();

    expect(await logIn(client, ada.email, 'not the password')).toEqual({ user: null, code: 'INVALID_CREDENTIALS' });
    expect(await logIn(client, ada.email, ada.password)).toMatchObject({ user: { email: ada.email }, code: null });
    expect(await currentUser(client)).toMatchObject({ email: ada.email });

    const listed = await client.query(Sessions, {}).toPromise();
    expect(listed.data?.sessions).toEqual([expect.objectContaining({ current: true })]);

    // changePassword replaces the session cookie: the client must carry the new one from here on.
    const newPassword = 'a brand new passphrase';
    await client.mutation(ChangePassword, { currentPassword: ada.password, newPassword }).toPromise();
    expect(await currentUser(client)).toMatchObject({ email: ada.email });

    await logOut(client);
    expect(await currentUser(client)).toBeNull();
    expect(await client.query(Sessions, {}).toPromise()).toMatchObject(withCode('UNAUTHENTICATED'));
    expect(await server.prisma.session.count()).toBe(0);
  });

  it('keeps one session per client: a session revoked from another device is over', async () => {
    const server = await startTestServer();
    const laptop = newClient(server);
    const phone = newClient(server);
    await laptop.mutation(Register, ada).toPromise();
    await logIn(laptop, ada.email, ada.password);
    await logIn(phone, ada.email, ada.password);

    const { data } = await phone.query(Sessions, {}).toPromise();
    expect(data?.sessions).toHaveLength(2);
    const laptopSession = data!.sessions.find((session) => !session.current)!;
    expect((await phone.mutation(RevokeSession, { id: laptopSession.id }).toPromise()).data).toEqual({ revokeSession: true });

    expect(await currentUser(laptop)).toBeNull();
    expect(await currentUser(phone)).toMatchObject({ email: ada.email });
  });

  it('hands the server’s error codes to the app, for refused requests too', async () => {
    const server = await startTestServer();
    const client = newClient(server);
    await client.mutation(Register, ada).toPromise();

    expect(await client.mutation(Register, ada).toPromise()).toMatchObject(withCode('EMAIL_TAKEN'));
    expect(await client.mutation(Register, { ...ada, email: 'not an email' }).toPromise()).toMatchObject(
      withCode('BAD_USER_INPUT', { field: 'email' }),
    );
    expect(await client.query(Sessions, {}).toPromise()).toMatchObject(withCode('UNAUTHENTICATED'));
    // Refused before execution with HTTP 400; urql still reads the GraphQL errors in the body.
    expect(await client.query(parse('{ me { password } }'), {}).toPromise()).toMatchObject(withCode('GRAPHQL_VALIDATION_FAILED'));
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
