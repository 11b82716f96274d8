// Migrates one template SQLite database for the whole run; each test copies it (fast) instead
// of running the schema engine again. The migration itself is tested in test/db/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TestProject } from 'vitest/node';
import { parseDatabaseUrl } from '../../src/db/database-url.ts';
import { migrationLayout } from '../../src/db/migrate/layout.ts';
import { migrateDatabase } from '../../src/db/migrate/migrate.ts';
import { repoRoot } from '../../scripts/paths.ts';
import './provided.ts';

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'auth-api-test-'));
  const file = join(dir, 'template.db');
  await migrateDatabase(parseDatabaseUrl(`file:${file}`), migrationLayout('sqlite', repoRoot), { connectTimeoutMs: 5000 });
  // Fold the WAL into the main file so that copying the one file copies everything.
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.close();
  project.provide('sqliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
