// The SQLite database holds password hashes, session and reset-token hashes and client
// addresses: other accounts on the machine must not read it. What the service creates is
// owner-only whatever the umask: a mode given at creation is masked by the umask (022 keeps
// others' read bit, 0 grants everything), so each path this process creates is chmod'ed after.
// Paths that already exist keep their mode: an operator may have chosen it (a backup group),
// and chmod on a shared directory such as /tmp would break other programs.
import { chmodSync, closeSync, constants, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

const OWNER_ONLY_DIRECTORY = 0o700;
const OWNER_ONLY_FILE = 0o600;

/** Creates `dir` and its missing parents owner-only. */
export function createOwnerOnlyDirectory(dir: string): void {
  // The first directory mkdir had to create; it and all below it down to `dir` are new.
  const firstCreated = mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIRECTORY });
  if (firstCreated === undefined) return;
  for (let created = dir; ; created = dirname(created)) {
    chmodSync(created, OWNER_ONLY_DIRECTORY);
    if (created === firstCreated || dirname(created) === created) return;
  }
}

/**
 * Creates `path` empty and owner-only where there is no such file, before SQLite opens it (an
 * empty file is an empty database to SQLite, which gives its -wal and -shm files the database
 * file's mode). A missing directory is left for SQLite's open to report, as before.
 */
export function createOwnerOnlyFile(path: string): void {
  let fd: number;
  try {
    // O_EXCL: of processes starting together only one creates the file; the others find it.
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, OWNER_ONLY_FILE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOENT') return;
    throw error;
  }
  try {
    fchmodSync(fd, OWNER_ONLY_FILE);
  } finally {
    closeSync(fd);
  }
}
