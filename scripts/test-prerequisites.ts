// npm test's pretest step: brings what the suite needs on a fresh machine of the project's kind
// (Debian, root, apt): Debian's chromium, curl and oathtool when missing, and a PostgreSQL that is
// installed but stopped. Where it cannot, it stops with one line saying what to install.
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { findChromium, findExecutable, installAdvice, planTools, type ToolFacts } from './prerequisites/tools.ts';
import { installedVersions, isLocalServerUrl, planPostgresql } from './prerequisites/postgresql.ts';
import { postgresqlServerUrl } from './paths.ts';

const POSTGRESQL_START_TIMEOUT_MS = 30_000;
const env = process.env;
const isRoot = process.getuid?.() === 0;

function stop(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function toolFacts(): ToolFacts {
  return {
    chromiumOverride: env.CHROMIUM_PATH || null,
    chromium: findChromium(env),
    curl: findExecutable('curl', env.PATH),
    oathtool: findExecutable('oathtool', env.PATH),
    isRoot,
    aptGet: findExecutable('apt-get', env.PATH),
  };
}

function aptGet(aptGetPath: string, args: string[]): void {
  // Waits for another apt run on a shared machine rather than failing on its lock.
  execFileSync(aptGetPath, ['-o', 'DPkg::Lock::Timeout=300', ...args], {
    stdio: 'inherit',
    env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function ensureTools(): void {
  const facts = toolFacts();
  const plan = planTools(facts);
  if (plan.action === 'stop') stop(plan.message);
  if (plan.action === 'none') return;
  console.log(`npm test needs ${plan.packages.join(' and ')}: installing with apt-get`);
  try {
    aptGet(facts.aptGet!, ['update', '-qq']);
    aptGet(facts.aptGet!, ['install', '-y', '-qq', ...plan.packages]);
  } catch {
    stop(`apt-get could not install them (its messages are above). ${installAdvice(plan.packages)}`);
  }
  // Whatever apt said, the suite needs them where it looks for them.
  const after = planTools({ ...toolFacts(), isRoot: false });
  if (after.action === 'stop') stop(after.message);
}

function isAnswering(host: string, port: number): Promise<boolean> {
  const pgIsReady = findExecutable('pg_isready', env.PATH);
  if (pgIsReady !== null) {
    try {
      execFileSync(pgIsReady, ['-q', '-h', host, '-p', String(port)], { stdio: 'ignore' });
      return Promise.resolve(true);
    } catch {
      return Promise.resolve(false);
    }
  }
  // Without the client tools, a listening port is the best sign there is.
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function ensurePostgresql(): Promise<void> {
  const url = new URL(postgresqlServerUrl(env));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 5432);
  const pgCtlcluster = findExecutable('pg_ctlcluster', env.PATH);
  const plan = planPostgresql({
    isLocalServer: isLocalServerUrl(url.href),
    isAnswering: await isAnswering(host, port),
    versions: installedVersions(),
    pgCtlcluster,
    isRoot,
  });
  if (plan.action === 'advise') console.warn(plan.message);
  if (plan.action !== 'start') return;
  console.log(`PostgreSQL ${plan.version} is installed but not answering on ${url.host}: starting it`);
  const started = startCluster(pgCtlcluster!, plan.version) && (await waitUntilAnswering(host, port));
  if (started) return;
  const problem = `PostgreSQL ${plan.version} did not come up on ${url.host} (its log is under /var/log/postgresql)`;
  // As before: without a server the postgresql tests are skipped, with the reason, unless CI demands them.
  if (env.REQUIRE_POSTGRESQL === '1') stop(`REQUIRE_POSTGRESQL=1, but ${problem}.`);
  console.warn(`${problem}: its tests will be skipped.`);
}

function startCluster(pgCtlcluster: string, version: string): boolean {
  try {
    execFileSync(pgCtlcluster, ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
    return true;
  } catch {
    return false;
  }
}

async function waitUntilAnswering(host: string, port: number): Promise<boolean> {
  const deadline = Date.now() + POSTGRESQL_START_TIMEOUT_MS;
  while (!(await isAnswering(host, port))) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return true;
}

ensureTools();
await ensurePostgresql();
