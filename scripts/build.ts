// npm run build: the service as plain JavaScript in dist/, run by node itself (npm start).
// Running the TypeScript through tsx in production cost about 90 MiB of resident memory (its
// loader, transform cache and source maps) for nothing the service needs at run time.
//
// One bundle per entry point: the service, the migration child it spawns, housekeeping's SQLite
// worker thread (each must sit next to it, see src/db/migrate/migrate-child.ts and
// src/db/sweep-executor.ts) and the user:role command. Our own code and the generated Prisma
// clients are bundled; packages stay in node_modules, loaded by node as usual. Shared code and
// the modules loaded on demand are chunks beside them.
//
// Several `npm start` from one checkout run this at once (a process manager starting instances,
// a test harness), while others may already be serving: nothing here ever removes or rewrites a
// build in place. A build goes to a temporary directory, is renamed to .dist-<hash of its
// inputs>, and the dist link is then switched to it in one rename (see build-inputs.ts). When
// dist already links to a build of the same inputs, there is nothing to do.
import { cpSync, existsSync, lstatSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { buildDirName, currentBuildDirName, hashBuildInputs } from './build-inputs.ts';
import { repoRoot } from './paths.ts';

/** An old build is removed only after this long: a process switching dist to it has long finished. */
const OLD_BUILD_GRACE_MS = 10 * 60 * 1000;

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function buildInto(outdir: string): Promise<void> {
  await build({
    absWorkingDir: repoRoot,
    entryPoints: {
      main: 'src/main.ts',
      'migrate-cli': 'src/db/migrate/migrate-cli.ts',
      'sweep-worker': 'src/db/sweep-worker.ts',
      'user-role': 'src/cli/user-role-main.ts',
    },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // Modules main.ts imports only when a setting asks for them (metrics, tracing) go to chunks of
    // their own: bundled into main.js, their packages' imports would be hoisted and load always.
    // Chunks sit beside main.js, so that paths a module finds from import.meta.url (the migration
    // child, the pages, the repository root) are the same whichever file it lands in.
    splitting: true,
    chunkNames: '[name]-[hash]',
    // Stack traces in logs point at src/ with node --enable-source-maps; off by default (memory).
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // The pages the service serves (src/http/pages.ts) are files read at start-up, not bundled code:
  // copied beside main.js, so dist/ alone (README, "Installing for production") serves them.
  cpSync(join(repoRoot, 'src', 'pages'), join(outdir, 'pages'), { recursive: true });
  // The passkeys page's WebAuthn helper, served from the service (src/http/pages.ts), never a CDN.
  cpSync(
    join(repoRoot, 'node_modules', '@simplewebauthn', 'browser', 'dist', 'bundle', 'index.umd.min.js'),
    join(outdir, 'pages', 'vendor', 'simplewebauthn-browser.umd.min.js'),
  );
}

/** Builds into .dist-<hash>, unless a finished build of these inputs is there already. */
async function ensureBuildDir(name: string): Promise<void> {
  const target = join(repoRoot, name);
  if (existsSync(join(target, 'main.js'))) {
    // Freshly in use again (a checkout back to these sources): not a leftover for removeLeftovers.
    const now = new Date();
    utimesSync(target, now, now);
    return;
  }
  const temporary = join(repoRoot, `${name}.${process.pid}.tmp`);
  try {
    await buildInto(temporary);
    renameSync(temporary, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Another process finished the same build first: its copy is identical, keep it.
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** Another build started at the same moment may have moved it first. */
function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Points dist at the build in one rename over the old link: readers see the old build or the new, never neither. */
function switchDistTo(name: string): void {
  const dist = join(repoRoot, 'dist');
  const link = join(repoRoot, `dist.${process.pid}.tmp`);
  rmSync(link, { force: true });
  symlinkSync(name, link);
  // dist as a directory comes from the build script before this one; a link cannot replace it
  // in one rename, so this one time it is moved aside first.
  const isOldDirectory = existsSync(dist) && lstatSync(dist).isDirectory();
  const aside = join(repoRoot, `dist.${process.pid}.old`);
  if (isOldDirectory) renameIfPresent(dist, aside);
  renameSync(link, dist);
  if (isOldDirectory) rmSync(aside, { recursive: true, force: true });
}

/** Temporary entries of builds that died, and builds nobody has linked for a while. */
function removeLeftovers(keep: Set<string>): void {
  for (const entry of readdirSync(repoRoot)) {
    const temporary = /^(?:\.dist-[0-9a-f]+|dist)\.(\d+)\.(?:tmp|old)$/.exec(entry);
    const path = join(repoRoot, entry);
    if (temporary) {
      if (!isProcessAlive(Number(temporary[1]))) rmSync(path, { recursive: true, force: true });
    } else if (/^\.dist-[0-9a-f]+$/.test(entry) && !keep.has(entry) && Date.now() - statSync(path).mtimeMs > OLD_BUILD_GRACE_MS) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

const name = buildDirName(hashBuildInputs(repoRoot));
const previous = currentBuildDirName(repoRoot);
if (previous === name && existsSync(join(repoRoot, name, 'main.js'))) {
  console.log(`dist/ is up to date (${name})`);
} else {
  await ensureBuildDir(name);
  switchDistTo(name);
  console.log(`dist/ -> ${name}`);
  // The previous build stays: a service started from it may still spawn its migration child.
  removeLeftovers(new Set([name, ...(previous === null ? [] : [previous])]));
}
