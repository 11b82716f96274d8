// Development without MFA_ENCRYPTION_KEY: the TOTP secrets still need a key, and one that
// outlives a restart (a fresh random key each start would leave every enrolled authenticator
// unreadable). So the first start writes one into the data directory, owner-only, beside the
// SQLite file, and later starts read it. Several instances on one database each have their own
// data directory, and so their own key: they must be given one MFA_ENCRYPTION_KEY instead
// (main.ts warns). Production never gets here: loadConfig refuses it without a key.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ENCRYPTION_KEY_BYTES } from './auth/mfa/secret-box.ts';
import { createOwnerOnlyDirectory } from './db/owner-only-files.ts';

export const DEVELOPMENT_KEY_FILE = 'mfa-encryption.key';

/** The key in `dir`, created there (and `dir` too, owner-only) on first use. */
export function loadOrCreateDevelopmentKey(dir: string): { key: Buffer; path: string; created: boolean } {
  createOwnerOnlyDirectory(dir);
  const path = join(dir, DEVELOPMENT_KEY_FILE);
  const existing = readKey(path);
  if (existing !== null) return { key: existing, path, created: false };
  // Written whole under a private name, then linked into place: of instances starting together,
  // one link wins and every one of them reads that key, never a half-written file.
  const pending = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(pending, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, `${randomBytes(ENCRYPTION_KEY_BYTES).toString('base64')}\n`);
  } finally {
    closeSync(fd);
  }
  let created = true;
  try {
    linkSync(pending, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
  } finally {
    unlinkSync(pending);
  }
  const key = readKey(path);
  if (key === null) throw new Error(`${path} does not hold a 32-byte base64 key`);
  return { key, path, created };
}

function readKey(path: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== ENCRYPTION_KEY_BYTES) throw new Error(`${path} does not hold a 32-byte base64 key`);
  return key;
}
