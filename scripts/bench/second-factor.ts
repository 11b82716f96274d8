// The second step of a login under load: verifyMfa requests/s. Each success uses up a challenge
// (one password login) and a code, and a TOTP code works once per 30 s per user, so the run is
// prepared beforehand: accounts with MFA on, their recovery codes, and one live challenge per
// code; then exactly that many verifyMfa go out and the time they took is measured. The
// preparation's logins run at a low bcrypt cost on a development instance of their own (the
// second step hashes nothing, so the cost does not enter the figure); a recovery code costs a
// SHA-256 where a TOTP code costs an AES-GCM open and three HMACs, both far below the queries.
import { generate } from 'otplib';
import { runLoad, type LoadResult } from './load.ts';

const PASSWORD = 'a load test passphrase';
const WORKERS = 8;

const REGISTER = 'mutation($email: String!, $password: String!) { register(email: $email, password: $password) { id } }';
const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { id } }';
const START = 'mutation($p: String!) { startTotpEnrollment(currentPassword: $p) { secret } }';
const CONFIRM = 'mutation($code: String!) { confirmTotpEnrollment(code: $code) }';
const VERIFY = 'mutation($code: String!) { verifyMfa(code: $code) { id } }';

/** Settings of the instance measured: development mode and cheap hashes for the preparation, limits raised for one address. */
export const secondFactorEnv = {
  BCRYPT_COST: '4',
  RATE_LIMIT_LOGIN_PER_IP: '100000000/60',
  RATE_LIMIT_REGISTER_PER_IP: '100000000/60',
  RATE_LIMIT_CHANGE_PASSWORD_PER_IP: '100000000/60',
  RATE_LIMIT_VERIFY_MFA_PER_IP: '100000000/60',
  LOGIN_FREE_ATTEMPTS: '1000',
};

async function post(url: string, query: string, variables: Record<string, string>, cookie?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const cookies = response.headers.getSetCookie().map((header) => header.split(';')[0]!);
  return { body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] }, cookies };
}

/** One account with MFA on, and a challenge cookie for each of its ten recovery codes. */
async function prepareAccount(url: string, n: number): Promise<Array<{ body: string; cookie: string }>> {
  const credentials = { email: `mfa${n}-${process.pid}@example.com`, password: PASSWORD };
  await post(url, REGISTER, credentials);
  const login = await post(url, LOGIN, credentials);
  const session = login.cookies.find((c) => c.startsWith('session='));
  const started = await post(url, START, { p: PASSWORD }, session);
  const secret = (started.body.data?.startTotpEnrollment as { secret: string } | undefined)?.secret;
  if (session === undefined || secret === undefined) throw new Error(`second-factor set-up failed: ${JSON.stringify(started.body)}`);
  const confirmed = await post(url, CONFIRM, { code: await generate({ secret }) }, session);
  const codes = confirmed.body.data?.confirmTotpEnrollment as string[] | undefined;
  if (codes === undefined) throw new Error(`second-factor set-up failed: ${JSON.stringify(confirmed.body)}`);
  const requests = [];
  for (const code of codes) {
    const challenge = (await post(url, LOGIN, credentials)).cookies.find((c) => c.startsWith('mfa-challenge='));
    if (challenge === undefined) throw new Error('second-factor set-up failed: login set no challenge cookie');
    requests.push({ body: JSON.stringify({ query: VERIFY, variables: { code } }), cookie: challenge });
  }
  return requests;
}

/** `accounts` × 10 successful verifyMfa, over `connections` connections. */
export async function verifyMfaThroughput(url: string, accounts: number, connections: number): Promise<LoadResult> {
  const prepared: Array<{ body: string; cookie: string }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < accounts) prepared.push(...(await prepareAccount(url, next++)));
    }),
  );
  return runLoad({
    url,
    connections,
    durationSeconds: 0,
    amount: prepared.length,
    requestFor: (n) => prepared[(n - 1) % prepared.length]!,
    accept: (status, body) => status === 200 && body.includes('"verifyMfa":{"id"'),
  });
}
