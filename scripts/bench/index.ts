// npm run bench: the service under load next to the framework's ceiling, in one run, on this
// machine. Prints a table and writes bench/results.json and bench/RESULTS.md. Figures are
// compared as ratios to what was measured in the same run: these machines are shared and noisy.
// With --scale it runs scale.ts instead: the same service against databases of growing size.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcrypt';
import { build } from 'esbuild';
import { serveCommand } from '../paths.ts';
import { SoftwareAuthenticator } from '../../test/helpers/software-authenticator.ts';
import { runLoad, type LoadResult } from './load.ts';
import { runPasskeyLogins } from './passkey-load.ts';
import { secondFactorEnv, verifyMfaThroughput } from './second-factor.ts';
import { children, peakRssMiB, root, startProcess, stop } from './processes.ts';

const WARM_UP_SECONDS = 2;
const seconds = Number(process.env.BENCH_SECONDS ?? '8');
const cost = 12;
const cores = availableParallelism();
/** Accounts prepared for the second-step run, ten successful verifyMfa each (second-factor.ts). */
const MFA_ACCOUNTS = Number(process.env.BENCH_MFA_ACCOUNTS ?? '100');
const defaultConcurrency = Math.max(1, cores - 1);
const alternativeConcurrency = defaultConcurrency + 1;

const ME = JSON.stringify({ query: '{ me { id email createdAt } }' });
/** Logs in over and over; `reader` holds the session `me` is asked with, which the storm's
 * logins must not push out of the per-user session cap. */
const account = { email: 'ada@example.com', password: 'a load test passphrase' };
const reader = { email: 'grace@example.com', password: 'a load test passphrase' };
const LOGIN = JSON.stringify({
  query: 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { id } }',
  variables: account,
});
const REGISTER = 'mutation($email: String!, $password: String!) { register(email: $email, password: $password) { id } }';
const registerBody = (n: number) =>
  JSON.stringify({ query: REGISTER, variables: { email: `user${n}-${process.pid}@example.com`, password: 'a load test passphrase' } });

/**
 * Limits a benchmark from one address, on one account, would hit by design (SECURITY.md,
 * "Tuning"): the per-IP budgets, and the per-account count of logins in flight at once.
 */
const raisedLimits = {
  RATE_LIMIT_LOGIN_PER_IP: '100000000/60',
  RATE_LIMIT_REGISTER_PER_IP: '100000000/60',
  RATE_LIMIT_PASSKEY_OPTIONS_PER_IP: '100000000/60',
  RATE_LIMIT_PASSKEY_LOGIN_PER_IP: '100000000/60',
  LOGIN_FREE_ATTEMPTS: '1000',
};

/** A third account, with a passkey: its logins must not push `reader` out of the session cap. */
const passkeyUser = { email: 'hopper@example.com', password: 'a load test passphrase' };
const PASSKEY_RP = { rpId: 'auth.example.com', origin: 'https://auth.example.com' };

/** bcrypt compares per second at the service's cost with `concurrency` running at once. */
async function bcryptPerSecond(concurrency: number, durationSeconds: number): Promise<number> {
  const hash = await bcrypt.hash('calibration passphrase', cost);
  let done = 0;
  const until = performance.now() + durationSeconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      await bcrypt.compare('calibration passphrase', hash);
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - started) / 1000);
}

/** `extraEnv`: settings under test (METRICS_PORT), each run on a database of its own. */
async function startService(concurrency: number, dir: string, extraEnv: Record<string, string> = {}) {
  const spawnedAt = performance.now();
  const variant = Object.keys(extraEnv).join('-').toLowerCase();
  const service = await startProcess(
    serveCommand,
    {
      PORT: '0',
      HOST: '127.0.0.1',
      // As deployed: GraphiQL and introspection off, Secure cookies (sent here over plain HTTP
      // by autocannon, which does not check).
      NODE_ENV: 'production',
      // Production refuses an http: reset or verification link; no mail is opened during the bench.
      PASSWORD_RESET_URL: 'https://auth.example.com/reset-password',
      EMAIL_VERIFICATION_URL: 'https://auth.example.com/verify-email',
      // Production refuses to start without one; a throwaway key for the throwaway database.
      MFA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      // And the WebAuthn development defaults; the bench's authenticator signs for this origin.
      WEBAUTHN_RP_ID: PASSKEY_RP.rpId,
      WEBAUTHN_RP_NAME: 'Auth API bench',
      WEBAUTHN_ORIGINS: PASSKEY_RP.origin,
      DATABASE_URL: `file:${join(dir, `auth-${concurrency}${variant === '' ? '' : `-${variant}`}.db`)}`,
      BCRYPT_COST: String(cost),
      BCRYPT_CONCURRENCY: String(concurrency),
      ...raisedLimits,
      ...extraEnv,
    },
    (line) => (typeof line.url === 'string' ? Number(new URL(line.url).port) : null),
  );
  const base = `http://127.0.0.1:${service.port}`;
  // Start-up ends with the first answered request.
  while ((await fetch(`${base}/ready`).catch(() => null))?.status !== 200) await new Promise((r) => setImmediate(r));
  const startupMs = performance.now() - spawnedAt;
  const post = (body: string, cookie?: string) =>
    fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body });
  await post(JSON.stringify({ query: REGISTER, variables: account }));
  await post(JSON.stringify({ query: REGISTER, variables: reader }));
  const login = await post(LOGIN.replace(account.email, reader.email));
  const cookie = login.headers.getSetCookie()[0]?.split(';')[0];
  if (cookie === undefined) throw new Error(`benchmark set-up failed: login answered ${await login.text()}`);
  const check = (await (await post(ME, cookie)).json()) as { data?: { me?: { email: string } } };
  if (check.data?.me?.email !== reader.email) throw new Error(`benchmark set-up failed: ${JSON.stringify(check)}`);
  const authenticator = await addPasskey(post);
  return { service, url: `${base}/graphql`, cookie, startupMs, authenticator };
}

/** Registers `passkeyUser` and adds a passkey on a software authenticator, through the API. */
async function addPasskey(post: (body: string, cookie?: string) => Promise<Response>): Promise<SoftwareAuthenticator> {
  await post(JSON.stringify({ query: REGISTER, variables: passkeyUser }));
  const login = await post(LOGIN.replace(account.email, passkeyUser.email));
  const cookie = login.headers.getSetCookie()[0]?.split(';')[0];
  const options = (await (await post(JSON.stringify({ query: 'mutation { passkeyRegistrationOptions }' }), cookie)).json()) as {
    data?: { passkeyRegistrationOptions?: unknown };
  };
  const authenticator = new SoftwareAuthenticator({ origin: PASSKEY_RP.origin, rpId: PASSKEY_RP.rpId });
  const response = authenticator.create(options.data?.passkeyRegistrationOptions);
  const registered = await post(
    JSON.stringify({ query: 'mutation($r: JSON!) { registerPasskey(response: $r) { id } }', variables: { r: response } }),
    cookie,
  );
  if (!(await registered.text()).includes('"registerPasskey":{"id"')) throw new Error('benchmark set-up failed: registerPasskey');
  return authenticator;
}

const loggedIn = (status: number, body: string) => status === 200 && body.includes('"login":{"id"');
const registered = (status: number, body: string) => status === 200 && body.includes('"register":{"id"');
const answeredMe = (status: number, body: string) => status === 200 && body.includes('"email"');

async function loginScenarios(url: string, cookie: string) {
  // Few enough connections that the queue never sheds: what the service adds around the hash.
  const steadyLogins = await runLoad({ url, connections: 4, durationSeconds: seconds, body: LOGIN, accept: loggedIn });
  const logins = await runLoad({ url, connections: 32, durationSeconds: seconds, body: LOGIN, accept: loggedIn });
  const [stormLogins, stormMe] = await Promise.all([
    runLoad({ url, connections: 32, durationSeconds: seconds, body: LOGIN, accept: loggedIn }),
    runLoad({ url, connections: 32, durationSeconds: seconds, body: ME, cookie, accept: answeredMe }),
  ]);
  return { steadyLogins, logins, stormLogins, stormMe };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'auth-api-bench-'));
  try {
    console.log(`Benchmark: ${cores} cores, Node ${process.version}, bcrypt cost ${cost}, ${seconds} s per run, 127.0.0.1 only.`);
    console.log(
      `Rate limits raised for one-address load: ${Object.entries(raisedLimits)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );

    const bcryptRates = {
      [defaultConcurrency]: await bcryptPerSecond(defaultConcurrency, 4),
      [alternativeConcurrency]: await bcryptPerSecond(alternativeConcurrency, 4),
    };

    // Plain JavaScript run by plain node, like the service: the ceiling pays for no TypeScript loader.
    // (In dist/, so that its packages resolve from node_modules as the service's do.)
    const bareScript = join(root, 'dist', 'bench-bare-yoga.js');
    await build({
      entryPoints: [join(root, 'scripts/bench/bare-yoga.ts')],
      outfile: bareScript,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      logLevel: 'warning',
    });
    const bare = await startProcess(`exec node ${bareScript}`, {}, (line) => (typeof line.port === 'number' ? line.port : null));
    const bareUrl = `http://127.0.0.1:${bare.port}/graphql`;
    // Both servers get the same warm-up (JIT compilation) before they are measured.
    await runLoad({ url: bareUrl, connections: 32, durationSeconds: WARM_UP_SECONDS, body: ME, cookie: 'session=bench-token' });
    const ceiling32 = await runLoad({
      url: bareUrl,
      connections: 32,
      durationSeconds: seconds,
      body: ME,
      cookie: 'session=bench-token',
      accept: answeredMe,
    });
    const ceiling128 = await runLoad({
      url: bareUrl,
      connections: 128,
      durationSeconds: seconds,
      body: ME,
      cookie: 'session=bench-token',
      accept: answeredMe,
    });
    await stop(bare);

    const main = await startService(defaultConcurrency, dir);
    await runLoad({ url: main.url, connections: 32, durationSeconds: WARM_UP_SECONDS, body: ME, cookie: main.cookie });
    const me32 = await runLoad({
      url: main.url,
      connections: 32,
      durationSeconds: seconds,
      body: ME,
      cookie: main.cookie,
      accept: answeredMe,
    });
    const me128 = await runLoad({
      url: main.url,
      connections: 128,
      durationSeconds: seconds,
      body: ME,
      cookie: main.cookie,
      accept: answeredMe,
    });
    // The same `me` with Prometheus metrics on, right after the figure it is compared with.
    const metered = await startService(defaultConcurrency, dir, { METRICS_PORT: '0' });
    await runLoad({ url: metered.url, connections: 32, durationSeconds: WARM_UP_SECONDS, body: ME, cookie: metered.cookie });
    const meteredMe32 = await runLoad({
      url: metered.url,
      connections: 32,
      durationSeconds: seconds,
      body: ME,
      cookie: metered.cookie,
      accept: answeredMe,
    });
    const meteredPeakRss = peakRssMiB(metered.service.child.pid!);
    await stop(metered.service);

    const defaultRun = await loginScenarios(main.url, main.cookie);
    const registers = await runLoad({ url: main.url, connections: 32, durationSeconds: seconds, body: registerBody, accept: registered });
    const passkeyLogins = await runPasskeyLogins({
      url: main.url,
      connections: 32,
      durationSeconds: seconds,
      authenticator: main.authenticator,
    });
    const peakRss = peakRssMiB(main.service.child.pid!);
    await stop(main.service);

    const alternative = await startService(alternativeConcurrency, dir);
    const alternativeRun = await loginScenarios(alternative.url, alternative.cookie);
    const alternativePeakRss = peakRssMiB(alternative.service.child.pid!);
    await stop(alternative.service);

    const secondFactor = await startProcess(
      serveCommand,
      { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${join(dir, 'auth-mfa.db')}`, ...secondFactorEnv },
      (line) => (typeof line.url === 'string' ? Number(new URL(line.url).port) : null),
    );
    const verifyMfa = await verifyMfaThroughput(`http://127.0.0.1:${secondFactor.port}/graphql`, MFA_ACCOUNTS, 32);
    await stop(secondFactor);

    report({
      bcryptRates,
      ceiling32,
      ceiling128,
      me32,
      me128,
      meteredMe32,
      meteredPeakRss,
      defaultRun,
      alternativeRun,
      registers,
      passkeyLogins,
      verifyMfa,
      peakRss: Math.max(peakRss, alternativePeakRss),
      startupMs: main.startupMs,
    });
  } finally {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Figures {
  bcryptRates: Record<number, number>;
  ceiling32: LoadResult;
  ceiling128: LoadResult;
  me32: LoadResult;
  me128: LoadResult;
  /** `me` with METRICS_PORT set, and that service's peak RSS. */
  meteredMe32: LoadResult;
  meteredPeakRss: number;
  defaultRun: Awaited<ReturnType<typeof loginScenarios>>;
  alternativeRun: Awaited<ReturnType<typeof loginScenarios>>;
  registers: LoadResult;
  passkeyLogins: LoadResult;
  verifyMfa: LoadResult;
  peakRss: number;
  startupMs: number;
}

function report(f: Figures) {
  const n = (value: number, digits = 0) => value.toFixed(digits);
  const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(2));
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  const rows: string[][] = [];
  const row = (...cells: string[]) => rows.push(cells);

  row('figure', 'value', 'reference', 'ratio', 'target', '');
  row(
    'bare yoga `me`, 32 conns',
    `${n(f.ceiling32.okPerSecond)} req/s, p50 ${f.ceiling32.p50Ms} ms, p99 ${f.ceiling32.p99Ms} ms`,
    'ceiling',
    '1.00',
    '',
    '',
  );
  row(
    'bare yoga `me`, 128 conns',
    `${n(f.ceiling128.okPerSecond)} req/s, p50 ${f.ceiling128.p50Ms} ms, p99 ${f.ceiling128.p99Ms} ms`,
    'ceiling',
    '1.00',
    '',
    '',
  );
  const meOk = f.me32.okPerSecond >= 0.6 * f.ceiling32.okPerSecond && f.me32.p99Ms <= 1.5 * f.ceiling32.p99Ms;
  row(
    'service `me`, 32 conns',
    `${n(f.me32.okPerSecond)} req/s, p50 ${f.me32.p50Ms} ms, p99 ${f.me32.p99Ms} ms`,
    'ceiling 32',
    `${ratio(f.me32.okPerSecond, f.ceiling32.okPerSecond)} req/s, ${ratio(f.me32.p99Ms, f.ceiling32.p99Ms)} p99`,
    '≥ 0.60 req/s, ≤ 1.5 p99',
    verdict(meOk),
  );
  row(
    'service `me`, 128 conns',
    `${n(f.me128.okPerSecond)} req/s, p50 ${f.me128.p50Ms} ms, p99 ${f.me128.p99Ms} ms`,
    'ceiling 128',
    `${ratio(f.me128.okPerSecond, f.ceiling128.okPerSecond)} req/s, ${ratio(f.me128.p99Ms, f.ceiling128.p99Ms)} p99`,
    '',
    '',
  );

  row(
    'service `me` with metrics on (METRICS_PORT), 32 conns',
    `${n(f.meteredMe32.okPerSecond)} req/s, p50 ${f.meteredMe32.p50Ms} ms, p99 ${f.meteredMe32.p99Ms} ms; peak RSS ${n(f.meteredPeakRss, 1)} MiB`,
    'service `me` 32',
    `${ratio(f.meteredMe32.okPerSecond, f.me32.okPerSecond)} req/s, ${ratio(f.meteredMe32.p99Ms, f.me32.p99Ms)} p99`,
    '',
    '',
  );

  for (const [label, run, concurrency] of [
    ['default', f.defaultRun, defaultConcurrency],
    ['alternative', f.alternativeRun, alternativeConcurrency],
  ] as const) {
    const capacity = f.bcryptRates[concurrency]!;
    row(`bcrypt verifications/s, ${concurrency} at once`, `${n(capacity, 1)} /s`, 'machine', '', '', '');
    const loginOk = run.steadyLogins.okPerSecond >= 0.85 * capacity;
    row(
      `logins, 4 conns (no shedding), BCRYPT_CONCURRENCY=${concurrency} (${label})`,
      `${n(run.steadyLogins.okPerSecond, 1)} ok/s, p99 ${run.steadyLogins.p99Ms} ms`,
      `bcrypt ${concurrency} at once`,
      ratio(run.steadyLogins.okPerSecond, capacity),
      label === 'default' ? '≥ 0.85' : '',
      label === 'default' ? verdict(loginOk) : '',
    );
    row(
      `logins, 32 conns (shedding), BCRYPT_CONCURRENCY=${concurrency} (${label})`,
      `${n(run.logins.okPerSecond, 1)} ok/s, p99 ${run.logins.p99Ms} ms, ${run.logins.total - run.logins.ok} shed`,
      `bcrypt ${concurrency} at once`,
      ratio(run.logins.okPerSecond, capacity),
      '',
      '',
    );
    const stormOk = run.stormMe.okPerSecond >= 0.5 * f.me32.okPerSecond && run.stormMe.p99Ms <= 3 * f.me32.p99Ms;
    row(
      `\`me\` during login storm, BCRYPT_CONCURRENCY=${concurrency} (${label})`,
      `${n(run.stormMe.okPerSecond)} req/s, p99 ${run.stormMe.p99Ms} ms; logins ${n(run.stormLogins.okPerSecond, 1)} ok/s`,
      'service `me` 32',
      `${ratio(run.stormMe.okPerSecond, f.me32.okPerSecond)} req/s, ${ratio(run.stormMe.p99Ms, f.me32.p99Ms)} p99`,
      label === 'default' ? '≥ 0.50 req/s, ≤ 3 p99' : '',
      label === 'default' ? verdict(stormOk) : '',
    );
  }
  row(
    'register, 32 conns',
    `${n(f.registers.okPerSecond, 1)} ok/s, p99 ${f.registers.p99Ms} ms`,
    `bcrypt ${defaultConcurrency} at once`,
    ratio(f.registers.okPerSecond, f.bcryptRates[defaultConcurrency]!),
    '',
    '',
  );
  row(
    'passkey logins (options + loginWithPasskey), 32 clients',
    `${n(f.passkeyLogins.okPerSecond, 1)} ok/s, p50 ${f.passkeyLogins.p50Ms} ms, p99 ${f.passkeyLogins.p99Ms} ms per ceremony`,
    'logins, 32 conns (default)',
    ratio(f.passkeyLogins.okPerSecond, f.defaultRun.logins.okPerSecond),
    '',
    '',
  );
  row(
    `verifyMfa (second step, recovery codes), 32 conns, ${f.verifyMfa.total} requests`,
    `${n(f.verifyMfa.okPerSecond)} ok/s, p50 ${f.verifyMfa.p50Ms} ms, p99 ${f.verifyMfa.p99Ms} ms`,
    'service `me` 32',
    ratio(f.verifyMfa.okPerSecond, f.me32.okPerSecond),
    '',
    '',
  );
  row('peak RSS of the service', `${n(f.peakRss, 1)} MiB`, '', '', '< 150 MiB', verdict(f.peakRss < 150));
  row('start-up to first answered request', `${n(f.startupMs)} ms`, '', '', '', '');

  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const markdown = [
    `| ${rows[0]!.join(' | ')} |`,
    `| ${rows[0]!.map(() => '---').join(' | ')} |`,
    ...rows.slice(1).map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  console.log();
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));

  const when = new Date().toISOString();
  const header = `Run ${when} on ${cores} cores, Node ${process.version}, bcrypt cost ${cost}, ${seconds} s per load run (autocannon, 127.0.0.1).`;
  writeFileSync(
    join(root, 'bench', 'results.json'),
    `${JSON.stringify({ when, cores, node: process.version, cost, seconds, ...f }, null, 2)}\n`,
  );
  writeFileSync(join(root, 'bench', 'RESULTS.md'), `# Latest benchmark\n\n${header}\n\n${markdown}\n`);
  console.log(`\nWritten: bench/results.json, bench/RESULTS.md`);
}

// `npm run bench -- --scale`: the database-size benchmark (scale.ts) instead.
const entry = process.argv.includes('--scale') ? (await import('./scale.ts')).scaleBenchmark : main;
entry().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
