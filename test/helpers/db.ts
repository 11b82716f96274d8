import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject, onTestFinished } from 'vitest';

/** A fresh, migrated SQLite file for one test, removed when the test ends. */
export function freshDatabaseUrl(): string {
  const dir = mkdtempSync(join(tmpdir(), 'auth-api-db-'));
  const file = join(dir, 'auth.db');
  copyFileSync(inject('templateDatabase'), file);
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return `file:${file}`;
}
