// Passkey logins under load: each "request" is a whole ceremony as a browser runs it,
// passkeyLoginOptions (which sets the login-challenge cookie) and then loginWithPasskey with an
// assertion the software authenticator of the tests signs (ES256). autocannon sends one fixed
// request per turn and cannot carry a cookie from one answer to the next, so this loop does.
import { performance } from 'node:perf_hooks';
import type { SoftwareAuthenticator } from '../../test/helpers/software-authenticator.ts';
import type { LoadResult } from './load.ts';

const OPTIONS = JSON.stringify({ query: 'mutation { passkeyLoginOptions }' });
const LOGIN = 'mutation($response: JSON!) { loginWithPasskey(response: $response) { id } }';

async function post(url: string, body: string, cookie?: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body });
}

/** One ceremony; true when it ended logged in. */
async function ceremony(url: string, authenticator: SoftwareAuthenticator): Promise<boolean> {
  const optionsResponse = await post(url, OPTIONS);
  const cookie = optionsResponse.headers.getSetCookie()[0]?.split(';')[0];
  const { data } = (await optionsResponse.json()) as { data?: { passkeyLoginOptions?: unknown } };
  if (!cookie || !data?.passkeyLoginOptions) return false;
  const response = authenticator.get(data.passkeyLoginOptions);
  const login = await post(url, JSON.stringify({ query: LOGIN, variables: { response } }), cookie);
  return (await login.text()).includes('"loginWithPasskey":{"id"');
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
}

/** `connections` clients doing ceremonies back to back for `durationSeconds`; latency is per ceremony. */
export async function runPasskeyLogins(options: {
  url: string;
  connections: number;
  durationSeconds: number;
  authenticator: SoftwareAuthenticator;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const until = performance.now() + options.durationSeconds * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      try {
        if (await ceremony(options.url, options.authenticator)) ok += 1;
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, client));
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / options.durationSeconds,
    okPerSecond: ok / options.durationSeconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    total: latencies.length,
    ok,
    errors,
  };
}
