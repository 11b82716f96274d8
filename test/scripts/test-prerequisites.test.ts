// npm test's pretest step (scripts/test-prerequisites.ts): what it decides from what the machine
// has, and, run as a process on a PATH the test builds, what it does. The real apt-get and
// chromium of this shared machine are never touched: a fake apt-get records its calls and
// "installs" by writing stand-ins into the test's own bin directory.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planPostgresql, type PostgresqlFacts } from '../../scripts/prerequisites/postgresql.ts';
import { findChromium, findExecutable, planTools, type ToolFacts } from '../../scripts/prerequisites/tools.ts';
import { repoRoot } from '../../scripts/paths.ts';

const everything: ToolFacts = {
  chromiumOverride: null,
  chromium: '/usr/bin/chromium',
  curl: '/usr/bin/curl',
  oathtool: '/usr/bin/oathtool',
  isRoot: true,
  aptGet: '/usr/bin/apt-get',
};
const stoppedCluster: PostgresqlFacts = {
  isLocalServer: true,
  isAnswering: false,
  versions: ['15'],
  pgCtlcluster: '/usr/bin/pg_ctlcluster',
  isRoot: true,
};

describe('what the pretest step decides', () => {
  it('does nothing when chromium, curl and oathtool are there', () => {
    expect(planTools(everything)).toEqual({ action: 'none' });
  });

  it('installs what is missing with apt-get when it runs as root', () => {
    expect(planTools({ ...everything, chromium: null, curl: null })).toEqual({ action: 'install', packages: ['chromium', 'curl'] });
    expect(planTools({ ...everything, curl: null })).toEqual({ action: 'install', packages: ['curl'] });
    expect(planTools({ ...everything, oathtool: null })).toEqual({ action: 'install', packages: ['oathtool'] });
  });

  it('stops with one line naming what to install when it is not root', () => {
    const plan = planTools({ ...everything, chromium: null, isRoot: false });
    expect(plan).toEqual({ action: 'stop', message: expect.stringContaining('apt-get install -y chromium') });
    expect(plan.action === 'stop' && plan.message.split('\n')).toHaveLength(1);
  });

  it('stops with one line naming what to install when there is no apt-get', () => {
    expect(planTools({ ...everything, curl: null, aptGet: null })).toEqual({
      action: 'stop',
      message: expect.stringMatching(/^npm test needs curl: .*apt-get install -y curl\)/),
    });
  });

  it('never installs over a CHROMIUM_PATH that names no browser, and says so', () => {
    expect(planTools({ ...everything, chromiumOverride: '/opt/nothing', chromium: null })).toEqual({
      action: 'stop',
      message: expect.stringContaining('CHROMIUM_PATH=/opt/nothing is not an executable file'),
    });
  });

  it('starts an installed, stopped local PostgreSQL (the newest version) when root', () => {
    expect(planPostgresql(stoppedCluster)).toEqual({ action: 'start', version: '15' });
  });

  it('leaves PostgreSQL alone when it answers, is not installed, or is another machine', () => {
    expect(planPostgresql({ ...stoppedCluster, isAnswering: true })).toMatchObject({ action: 'none', reason: 'answering' });
    expect(planPostgresql({ ...stoppedCluster, versions: [] })).toMatchObject({ action: 'none', reason: 'not installed' });
    expect(planPostgresql({ ...stoppedCluster, pgCtlcluster: null })).toMatchObject({ action: 'none', reason: 'not installed' });
    expect(planPostgresql({ ...stoppedCluster, isLocalServer: false })).toMatchObject({ action: 'none', reason: 'not local' });
  });

  it('tells a user who is not root how to start PostgreSQL, and goes on', () => {
    expect(planPostgresql({ ...stoppedCluster, isRoot: false })).toEqual({
      action: 'advise',
      message: expect.stringContaining('pg_ctlcluster 15 main start'),
    });
  });
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A bin directory with node and the given stand-ins, nothing else: the machine as PATH shows it. */
function binWith(...programs: string[]): string {
  const bin = mkdtempSync(join(tmpdir(), 'auth-api-bin-'));
  dirs.push(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const name of programs) writeExecutable(join(bin, name), '#!/bin/sh\nexit 0\n');
  return bin;
}

function writeExecutable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/** An apt-get that logs its arguments and, asked to install, puts the packages' programs in bin. */
function fakeAptGet(bin: string): string {
  const log = join(bin, 'apt-get.log');
  writeExecutable(
    join(bin, 'apt-get'),
    `#!/bin/sh\necho "$*" >> ${log}\ncase "$*" in *install*) for p in "$@"; do case "$p" in chromium|curl|oathtool) printf '#!/bin/sh\\n' > ${bin}/$p; /bin/chmod 755 ${bin}/$p;; esac; done;; esac\n`,
  );
  return log;
}

function runPretest(bin: string, extraEnv: Record<string, string> = {}) {
  // PostgreSQL is not this test's subject: a server that is not local is left alone.
  const env = { PATH: bin, HOME: tmpdir(), TEST_POSTGRESQL_URL: 'postgresql://postgres@db.invalid:5432/postgres', ...extraEnv };
  return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'test-prerequisites.ts')], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
  });
}

describe('the pretest step as a process', () => {
  it('finds programs on PATH only, and CHROMIUM_PATH before PATH', () => {
    const bin = binWith('chromium');
    expect(findExecutable('chromium', bin)).toBe(join(bin, 'chromium'));
    expect(findExecutable('curl', bin)).toBeNull();
    expect(findChromium({ PATH: bin, CHROMIUM_PATH: join(bin, 'node') })).toBe(join(bin, 'node'));
    expect(findChromium({ PATH: bin, CHROMIUM_PATH: join(bin, 'absent') })).toBeNull();
  });

  // Installing takes root; elsewhere the unit tests above cover the decision.
  it.skipIf(process.getuid?.() !== 0)('updates apt and installs chromium, curl and oathtool when all are missing, then passes', () => {
    const bin = binWith();
    const log = fakeAptGet(bin);
    const run = runPretest(bin);
    expect(run.status).toBe(0);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      '-o DPkg::Lock::Timeout=300 update -qq',
      '-o DPkg::Lock::Timeout=300 install -y -qq chromium curl oathtool',
    ]);
    expect(existsSync(join(bin, 'chromium'))).toBe(true);
  });

  it('calls no apt-get when everything is there', () => {
    const bin = binWith('chromium', 'curl', 'oathtool');
    const log = fakeAptGet(bin);
    expect(runPretest(bin).status).toBe(0);
    expect(existsSync(log)).toBe(false);
  });

  it('stops with exactly one line naming chromium, curl and oathtool when it has no apt-get', () => {
    const run = runPretest(binWith());
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'npm test needs chromium, curl and oathtool: install them (Debian: apt-get install -y chromium curl oathtool), or set CHROMIUM_PATH to a Chromium binary, then run npm test again.\n',
    );
  });

  it('stops when apt-get ran but the program is still not on PATH', () => {
    const bin = binWith('chromium', 'oathtool');
    writeExecutable(join(bin, 'apt-get'), '#!/bin/sh\nexit 0\n');
    const run = runPretest(bin);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^npm test needs curl: /);
  });
});
