// OpenTelemetry on the built service: the standard variables point it at a receiver in the test,
// real requests run, and what arrives is read span by span and searched byte by byte.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { startOtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.ts';
import { startService, type RunningService } from '../helpers/service-process.ts';

const running: RunningService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function start(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'auth-api-traces-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  // A short batch delay: spans leave within 50 ms of ending, so the waits below are short.
  const service = await startService({ DATABASE_URL: `file:${join(dir, 'auth.db')}`, OTEL_BSP_SCHEDULE_DELAY: '50', ...env });
  running.push(service);
  return service;
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}, cookie: string | null = null) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie === null ? {} : { cookie }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  return { body, cookie: response.headers.getSetCookie()[0]?.split(';')[0] ?? null };
}

const REGISTER = 'mutation Register($email: String!, $password: String!) { register(email: $email, password: $password) { id } }';
const LOGIN = 'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { id } }';
const WRONG_LOGIN = 'mutation WrongLogin($email: String!, $password: String!) { login(email: $email, password: $password) { id } }';
const ME = 'query Me { me { id email } }';
const REQUEST_RESET = 'mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }';
const RESET = 'mutation ResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }';

const email = 'traced.user@example.com';
const password = 'a traced passphrase';
const newPassword = 'another traced passphrase';
const wrongPassword = 'a mistyped traced passphrase';

/** Registers, logs in, asks who it is, and resets the password by the mailed token. */
async function traffic(service: RunningService) {
  await post(service.url, REGISTER, { email, password });
  expect((await post(service.url, WRONG_LOGIN, { email, password: wrongPassword })).body.errors).toHaveLength(1);
  const login = await post(service.url, LOGIN, { email, password });
  expect(login.body.errors).toBeUndefined();
  expect((await post(service.url, ME, {}, login.cookie)).body.data).toMatchObject({ me: { email } });
  await post(service.url, REQUEST_RESET, { email });
  const mail = (await service.waitForLine(
    (line) => line.mailTransport === 'log' && (line.mail as { subject: string }).subject === 'Reset your password',
  )) as { mail: { text: string } };
  const resetToken = /token=([A-Za-z0-9_-]+)/.exec(mail.mail.text)![1]!;
  expect((await post(service.url, RESET, { token: resetToken, newPassword })).body.data).toEqual({ resetPassword: true });
  const sessionToken = decodeURIComponent(login.cookie!.slice(login.cookie!.indexOf('=') + 1));
  const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
  // What must never leave the service in a span: the secrets, their stored digests, the address.
  return [password, newPassword, wrongPassword, resetToken, sha256(resetToken), sessionToken, sha256(sessionToken), email];
}

const named = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.name === name);

describe('OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('sends a span per GraphQL operation and per database query, with no variable, secret or address in any byte', async () => {
    const receiver = await startOtlpReceiver();
    const service = await start({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'auth-api-under-test',
    });
    const secrets = await traffic(service);
    const spans = await receiver.waitFor((received) => named(received, 'mutation.ResetPassword').length === 1);

    for (const operation of [
      'mutation.Register',
      'mutation.Login',
      'query.Me',
      'mutation.RequestPasswordReset',
      'mutation.ResetPassword',
    ]) {
      expect(named(spans, operation), operation).toHaveLength(1);
    }
    const login = named(spans, 'mutation.Login')[0]!;
    expect(login).toMatchObject({
      serviceName: 'auth-api-under-test',
      attributes: { 'graphql.execute.operationName': 'Login', 'graphql.execute.operationType': 'mutation' },
    });
    expect(Object.keys(login.attributes)).not.toContain('graphql.execute.variables');
    expect(Object.keys(login.attributes)).not.toContain('graphql.execute.document');
    // A failed operation says that it failed and how often, not what the error said.
    expect(named(spans, 'mutation.WrongLogin')[0]).toMatchObject({ attributes: { 'graphql.error.count': 1 }, events: [] });
    expect(login.attributes['graphql.error.count']).toBeUndefined();

    // Prisma's spans, each query with its SQL text, within the operation that caused it.
    const queries = spans.filter((span) => span.name === 'prisma:client:db_query');
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(query.attributes['db.query.text']).toEqual(expect.any(String));
    const loginQueries = queries.filter((query) => query.traceId === login.traceId);
    expect(loginQueries.map((query) => query.attributes['db.query.text']).join('\n')).toMatch(/FROM [`"]?main[`"]?\.[`"]?User/);
    // The session lookup bypasses Prisma (db/session-lookup.ts) and has its own span under `me`.
    const me = named(spans, 'query.Me')[0]!;
    expect(named(spans, 'db.session_lookup').some((span) => span.traceId === me.traceId)).toBe(true);

    const everything = Buffer.concat(receiver.bodies).toString('utf8');
    for (const secret of secrets) expect(everything, `a span holds ${secret}`).not.toContain(secret);
  });

  it('speaks http/protobuf by default, and sends no secret there either', async () => {
    const receiver = await startOtlpReceiver();
    const service = await start({ OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/` });
    const secrets = await traffic(service);
    // Protobuf keeps strings as their UTF-8 bytes: the span names and any secret are searchable as is.
    await receiver.waitFor((_, bodies) => Buffer.concat(bodies).includes('mutation.ResetPassword'));

    expect(new Set(receiver.contentTypes)).toEqual(new Set(['application/x-protobuf']));
    const everything = Buffer.concat(receiver.bodies);
    expect(everything.includes('prisma:client:db_query')).toBe(true);
    for (const secret of secrets) expect(everything.includes(secret), `a span holds ${secret}`).toBe(false);
  });

  it('sends what is buffered when it stops, and nothing with OTEL_SDK_DISABLED=true', async () => {
    const receiver = await startOtlpReceiver();
    const slow = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '600000' };
    const traced = await start(slow);
    await post(traced.url, ME);
    expect(await traced.stop()).toBe(0);
    expect(named(receiver.spans, 'query.Me')).toHaveLength(1);

    const disabled = await start({ ...slow, OTEL_SDK_DISABLED: 'true' });
    await post(disabled.url, ME);
    expect(await disabled.stop()).toBe(0);
    expect(named(receiver.spans, 'query.Me')).toHaveLength(1);
  });
});
