// SQLite: the lock that lets one process migrate a file at a time.
import Database from 'better-sqlite3';
import { sqliteDirectory } from '../database-url.ts';
import { createOwnerOnlyDirectory, createOwnerOnlyFile } from '../owner-only-files.ts';

const LOCK_WAIT_MS = 120_000;

/**
 * Processes starting together on a fresh database must not both apply the same migration. For
 * SQLite the lock is an exclusive transaction on a sidecar file: the operating system releases
 * it if the holder dies, so a crash mid-migration cannot leave a stale lock behind.
 */
export async function withMigrationLock<T>(target: { filePath: string }, work: () => Promise<T>): Promise<T> {
  createOwnerOnlyDirectory(sqliteDirectory(target));
  const lockPath = `${target.filePath}.migrate-lock`;
  createOwnerOnlyFile(lockPath);
  const lock = new Database(lockPath, { timeout: LOCK_WAIT_MS });
  try {
    lock.exec('BEGIN EXCLUSIVE');
    try {
      return await work();
    } finally {
      lock.exec('ROLLBACK');
    }
  } finally {
    lock.close();
  }
}
