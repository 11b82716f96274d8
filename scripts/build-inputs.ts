// What a build of dist/ is made from, and whether the current one was made from what is here now.
// Each build lives in a directory named after a hash of its inputs (.dist-<hash>, beside dist),
// and dist is a symbolic link to the current one: a link can be replaced atomically, a
// directory cannot (rename(2) refuses a non-empty target), so a process starting the service
// always finds a complete build at dist/, whoever is building at the same moment.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Everything esbuild reads or is told: our sources with the generated Prisma clients and Pothos
 * types (bundled: src/generated/, rewritten by `npm run generate`), the package versions
 * (package-lock.json: packages stay external, but a new esbuild may emit different code), the
 * build options (scripts/build.ts) and tsconfig.json (esbuild reads some of its options).
 * Contents, not modification times: a checkout or a regeneration that changes nothing keeps the build.
 */
const INPUT_DIRS = ['src'];
const INPUT_FILES = ['package-lock.json', 'scripts/build.ts', 'tsconfig.json'];

function listFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(root, path);
    return entry.isFile() ? [path] : [];
  });
}

export function hashBuildInputs(root: string): string {
  const files = [...INPUT_DIRS.flatMap((dir) => listFiles(root, dir)), ...INPUT_FILES].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    // Names and contents both count (a renamed module is a different build); NUL keeps them apart.
    hash.update(`${relative(root, join(root, file))}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The build directory's name, relative to the root: the target of the dist link. */
export function buildDirName(hash: string): string {
  return `.dist-${hash}`;
}

/** The name dist links to, or null when there is no link (no build yet, or a directory from an older build script). */
export function currentBuildDirName(root: string): string | null {
  try {
    return readlinkSync(join(root, 'dist'));
  } catch {
    return null;
  }
}

/** True when dist links to a complete build of the inputs as they are now. */
export function isBuildCurrent(root: string): boolean {
  const name = buildDirName(hashBuildInputs(root));
  return currentBuildDirName(root) === name && existsSync(join(root, name, 'main.js'));
}
