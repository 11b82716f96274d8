// npm run bench -- --scale (or npm run bench:scale): how the service holds up as the database
// grows (issue 16). For each database and each size it seeds accounts and sessions in bulk
// (seed-sqlite.ts, seed-postgresql.ts), then measures against the built service: `me` and login,
// one housekeeping run and the longest wait it causes to `me` requests served meanwhile, and the
// database's size on disk. Writes bench/SCALE.md and bench/scale.json.
//   BENCH_SCALE_SIZES=0,10000,100000,1000000  BENCH_SCALE_DATABASES=sqlite,postgresql  BENCH_SECONDS=8
// Size 0 (an empty database) is always measured first: the targets are ratios to it.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { HashingQueue } from '../../src/auth/hashing-queue.ts';
import { normalisePassword, PasswordHasher } from '../../src/auth/passwords.ts';
import { postgresqlServerUrl, serveCommand } from '../paths.ts';
import { measurePause, type PauseResult } from './pause.ts';
import { runLoad, type LoadResult } from './load.ts';
import { children, root, startProcess, stop, type Process } from './processes.ts';
import { SCALE_PASSWORD, SESSIONS_PER_USER, scaleEmail } from './seed-plan.ts';
import { seedPostgresql } from './seed-postgresql.ts';
import { seedSqlite } from './seed-sqlite.ts';

type Provider = 'sqlite' | 'postgresql';

const cost = 12;
const seconds = Number(process.env.BENCH_SECONDS ?? '8');
const WARM_UP_SECONDS = 2;
/** Long enough to log in the reader and start the load before the first run begins. */
const HOUSEKEEPING_DELAY_SECONDS = 8;
const sizes = [...new Set([0, ...(process.env.BENCH_SCALE_SIZES ?? '10000,100000,1000000').split(',').map(Number)])].sort((a, b) => a - b);
const databases = (process.env.BENCH_SCALE_DATABASES ?? 'sqlite,postgresql').split(',') as Provider[];

const ME = JSON.stringify({ query: '{ me { id email createdAt } }' });
const loginBody = (email: string) =>
  JSON.stringify({
    query: 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { id } }',
    variables: { email, password: SCALE_PASSWORD },
  });
const loggedIn = (status: number, body: string) => status === 200 && body.includes('"login":{"id"');
const answeredMe = (status: number, body: string) => status === 200 && body.includes('"email"');

/** As index.ts: limits one address and one account would hit by design (SECURITY.md, "Tuning"). */
const raisedLimits = { RATE_LIMIT_LOGIN_PER_IP: '100000000/60', LOGIN_FREE_ATTEMPTS: '1000' };

interface Target {
  url: string;
  bytes(): Promise<number>;
  drop(): Promise<void>;
}

async function createTarget(provider: Provider, size: number, dir: string): Promise<Target> {
  if (provider === 'sqlite') {
    const file = join(dir, `scale-${size}.db`);
    const sizeOf = (path: string) => {
      try {
        return statSync(path).size;
      } catch {
        return 0;
      }
    };
    return {
      url: `file:${file}`,
      bytes: async () => sizeOf(file) + sizeOf(`${file}-wal`),
      drop: async () => rmSync(file, { force: true }),
    };
  }
  const server = postgresqlServerUrl();
  const name = `auth_api_scale_${process.pid}_${size}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    bytes: async () => Number((await admin(`SELECT pg_database_size('${name}') AS bytes`)).rows[0].bytes),
    drop: async () => void (await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

interface Service {
  process: Process;
  url: string;
  post(body: string, cookie?: string): Promise<Response>;
}

async function startService(databaseUrl: string, env: Record<string, string>, onLine?: (line: Record<string, unknown>) => void) {
  const started = await startProcess(
    serveCommand,
    {
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      PASSWORD_RESET_URL: 'https://auth.example.com/reset-password',
      DATABASE_URL: databaseUrl,
      BCRYPT_COST: String(cost),
      ...raisedLimits,
      ...env,
    },
    (line) => (typeof line.url === 'string' ? Number(new URL(line.url).port) : null),
    onLine,
  );
  const base = `http://127.0.0.1:${started.port}`;
  while ((await fetch(`${base}/ready`).catch(() => null))?.status !== 200) await new Promise((r) => setTimeout(r, 50));
  const service: Service = {
    process: started,
    url: `${base}/graphql`,
    post: (body, cookie) =>
      fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body }),
  };
  return service;
}

async function sessionCookie(service: Service, email: string): Promise<string> {
  const login = await service.post(loginBody(email));
  const cookie = login.headers.getSetCookie()[0]?.split(';')[0];
  if (cookie === undefined) throw new Error(`scale benchmark: login as ${email} answered ${await login.text()}`);
  return cookie;
}

/** Empty database: the two accounts the measurements use, registered through the API. */
async function registerAccounts(service: Service): Promise<void> {
  const REGISTER = 'mutation($email: String!, $password: String!) { register(email: $email, password: $password) { id } }';
  for (const email of [scaleEmail(0), scaleEmail(1)]) {
    await service.post(JSON.stringify({ query: REGISTER, variables: { email, password: SCALE_PASSWORD } }));
  }
}

/** A week: no housekeeping while throughput is measured. */
const noHousekeeping = { HOUSEKEEPING_INTERVAL_SECONDS: '604800' };

export interface SizeFigures {
  provider: Provider;
  users: number;
  sessions: number;
  seedMs: number;
  databaseBytes: number;
  me: LoadResult;
  login: LoadResult;
  housekeeping: PauseResult;
}

async function measureSize(provider: Provider, users: number, passwordHash: string, dir: string): Promise<SizeFigures> {
  const target = await createTarget(provider, users, dir);
  try {
    // The service applies the migrations; the seed then writes to the tables they made.
    const migrating = await startService(target.url, noHousekeeping);
    if (users === 0) await registerAccounts(migrating);
    await stop(migrating.process);
    const seedStarted = performance.now();
    if (users > 0 && provider === 'sqlite') seedSqlite(target.url.slice('file:'.length), users, passwordHash);
    if (users > 0 && provider === 'postgresql') await seedPostgresql(target.url, users, passwordHash);
    const seedMs = performance.now() - seedStarted;
    const databaseBytes = await target.bytes();
    log(`${provider} ${users} users: seeded in ${(seedMs / 1000).toFixed(1)} s, ${mib(databaseBytes)} MiB`);

    const service = await startService(target.url, noHousekeeping);
    const cookie = await sessionCookie(service, scaleEmail(1));
    await runLoad({ url: service.url, connections: 32, durationSeconds: WARM_UP_SECONDS, body: ME, cookie });
    const me = await runLoad({ url: service.url, connections: 32, durationSeconds: seconds, body: ME, cookie, accept: answeredMe });
    const login = await runLoad({
      url: service.url,
      connections: 4,
      durationSeconds: seconds,
      body: loginBody(scaleEmail(0)),
      accept: loggedIn,
    });
    await stop(service.process);
    log(`  me ${me.okPerSecond.toFixed(0)} req/s p99 ${me.p99Ms} ms; login ${login.okPerSecond.toFixed(1)} ok/s p99 ${login.p99Ms} ms`);

    const housekeeping = await measurePause({
      start: (onLine) => startService(target.url, { HOUSEKEEPING_INTERVAL_SECONDS: String(HOUSEKEEPING_DELAY_SECONDS) }, onLine),
      cookieFor: (service) => sessionCookie(service, scaleEmail(1)),
      stop: (service) => stop(service.process),
      body: ME,
      accept: answeredMe,
    });
    log(
      `  housekeeping ${housekeeping.durationMs} ms, ${housekeeping.removedRows} rows in ${housekeeping.batches} batches; longest me ${housekeeping.maxLatencyMs} ms (before it ${housekeeping.before.maxLatencyMs} ms), stall ${housekeeping.longestStallMs} ms, ${housekeeping.failed} failed`,
    );
    return { provider, users, sessions: users * SESSIONS_PER_USER, seedMs, databaseBytes, me, login, housekeeping };
  } finally {
    await target.drop();
  }
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const log = (line: string) => console.log(line);

export async function scaleBenchmark(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'auth-api-scale-'));
  try {
    console.log(
      `Scale benchmark: ${availableParallelism()} cores, Node ${process.version}, bcrypt cost ${cost}, ${seconds} s per load run.`,
    );
    console.log(
      `Sizes (users, ${SESSIONS_PER_USER} sessions each, 60 % expired or idle): ${sizes.join(', ')}; databases: ${databases.join(', ')}`,
    );
    const hasher = new PasswordHasher(cost, new HashingQueue({ concurrency: 1, maxWaitMs: 60_000, initialEstimateMs: 250 }));
    const passwordHash = await hasher.hash(normalisePassword(SCALE_PASSWORD));
    const figures: SizeFigures[] = [];
    for (const provider of databases) {
      for (const users of sizes) figures.push(await measureSize(provider, users, passwordHash, dir));
    }
    writeReport(figures);
  } finally {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeReport(figures: SizeFigures[]): void {
  const n = (value: number, digits = 0) => value.toFixed(digits);
  const rows: string[][] = [
    [
      'database',
      'users',
      'sessions',
      'seed',
      'size on disk',
      '`me` (32 conns)',
      'vs empty',
      'login (4 conns)',
      'vs empty',
      'housekeeping run',
      'longest `me` during it',
      'same load before it',
      'longest event-loop stall',
      'failed',
    ],
  ];
  const verdicts: string[] = [];
  for (const f of figures) {
    const empty = figures.find((e) => e.provider === f.provider && e.users === 0)!;
    const meRatio = f.me.okPerSecond / empty.me.okPerSecond;
    const loginRatio = f.login.okPerSecond / empty.login.okPerSecond;
    rows.push([
      f.provider,
      f.users.toLocaleString('en'),
      f.sessions.toLocaleString('en'),
      `${n(f.seedMs / 1000, 1)} s`,
      `${mib(f.databaseBytes)} MiB`,
      `${n(f.me.okPerSecond)} req/s, p99 ${f.me.p99Ms} ms`,
      `${n(meRatio, 2)} req/s, ${n(f.me.p99Ms / empty.me.p99Ms, 2)} p99`,
      `${n(f.login.okPerSecond, 1)} ok/s, p99 ${f.login.p99Ms} ms`,
      `${n(loginRatio, 2)} ok/s, ${n(f.login.p99Ms / empty.login.p99Ms, 2)} p99`,
      `${n(f.housekeeping.durationMs / 1000, 1)} s, ${f.housekeeping.removedRows.toLocaleString('en')} rows, ${f.housekeeping.batches} batches`,
      `${f.housekeeping.maxLatencyMs} ms (p99 ${f.housekeeping.p99Ms} ms, ${f.housekeeping.requests} requests)`,
      `${f.housekeeping.before.maxLatencyMs} ms (p99 ${f.housekeeping.before.p99Ms} ms)`,
      `${f.housekeeping.longestStallMs} ms`,
      String(f.housekeeping.failed),
    ]);
    if (f.users === Math.max(...sizes)) {
      const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
      verdicts.push(
        `- ${f.provider}, ${f.users.toLocaleString('en')} users: \`me\` within 10 % of empty (${n(meRatio, 2)}): ${verdict(meRatio >= 0.9)}; ` +
          `login within 10 % (${n(loginRatio, 2)}): ${verdict(loginRatio >= 0.9)}; ` +
          `housekeeping pause ≤ 100 ms (longest \`me\` ${f.housekeeping.maxLatencyMs} ms, event-loop stall ${f.housekeeping.longestStallMs} ms): ${verdict(f.housekeeping.maxLatencyMs <= 100)}; ` +
          `no failed request (${f.housekeeping.failed}): ${verdict(f.housekeeping.failed === 0)}`,
      );
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log();
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  console.log(`\nTargets at the largest size:\n${verdicts.join('\n')}`);

  const when = new Date().toISOString();
  const header =
    `Run ${when} on ${availableParallelism()} cores, Node ${process.version}, bcrypt cost ${cost}, ${seconds} s per load run ` +
    `(autocannon, 127.0.0.1). Each account has ${SESSIONS_PER_USER} sessions, 60 % of them expired or idle; ` +
    "the housekeeping run is the service's own (HOUSEKEEPING_INTERVAL_SECONDS), measured with 8 connections asking `me` throughout.";
  const markdown = [
    `| ${rows[0]!.join(' | ')} |`,
    `| ${rows[0]!.map(() => '---').join(' | ')} |`,
    ...rows.slice(1).map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  const notMeasured = '- Admin user search: **not measured: users query not built** (the operators issue adds it; its row goes here).';
  writeFileSync(join(root, 'bench', 'scale.json'), `${JSON.stringify({ when, cost, seconds, figures }, null, 2)}\n`);
  writeFileSync(
    join(root, 'bench', 'SCALE.md'),
    `# Scale benchmark\n\n${header}\n\n${markdown}\n\nTargets at the largest size measured:\n\n${verdicts.join('\n')}\n${notMeasured}\n`,
  );
  console.log('\nWritten: bench/scale.json, bench/SCALE.md');
}
