import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { readMigrationList } from '../../src/db/migrate/migrations.ts';
import { migrationLayout } from '../../src/db/migrate/layout.ts';
import { repoRoot } from '../../scripts/paths.ts';
import { startService, type RunningService } from '../helpers/service-process.ts';

const running: RunningService[] = [];
const allMigrations = readMigrationList(migrationLayout('sqlite', repoRoot).migrationsDir).migrationDirectories.map((d) => d.path);
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function start(env: Record<string, string>) {
  const service = await startService(env);
  running.push(service);
  return service;
}

/** A database path in a directory of its own, removed when the test ends. */
function freshDatabaseFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'auth-api-start-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'nested', 'auth.db');
}

function snapshot(file: string) {
  const db = new Database(file, { readonly: true });
  const taken = {
    schema: db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all(),
    migrations: db.prepare('SELECT id, checksum, migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name').all(),
  };
  db.close();
  return taken;
}

const gql = (url: string, query: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then((r) => r.json());

describe('start-up', () => {
  it('creates and migrates a fresh SQLite database, then serves', async () => {
    const file = freshDatabaseFile();
    const service = await start({ DATABASE_URL: `file:${file}` });
    expect(allMigrations.length).toBeGreaterThan(0);
    expect(service.lines.find((l) => l.msg === 'database migrated')).toMatchObject({ applied: allMigrations });
    expect(await gql(service.url, '{ me { id } }')).toEqual({ data: { me: null } });
    expect((await fetch(service.url.replace('/graphql', '/ready'))).status).toBe(200);
    const tables = snapshot(file).schema.map((row) => (row as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['User', 'Session', 'PasswordResetToken', '_prisma_migrations']));
  });

  it('without MFA_ENCRYPTION_KEY in development, keeps a key in the data directory and says so', async () => {
    const file = freshDatabaseFile();
    const keyFile = join(dirname(file), 'mfa-encryption.key');
    const first = await start({ DATABASE_URL: `file:${file}` });
    expect(first.lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('MFA_ENCRYPTION_KEY is not set'))).toMatchObject({
      level: 40,
      path: keyFile,
      created: true,
    });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8');
    await first.stop();
    running.length = 0;
    const again = await start({ DATABASE_URL: `file:${file}` });
    expect(again.lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('MFA_ENCRYPTION_KEY is not set'))).toMatchObject({
      created: false,
    });
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
  });

  it('changes nothing on an up-to-date database', async () => {
    const file = freshDatabaseFile();
    await (await start({ DATABASE_URL: `file:${file}` })).stop();
    running.length = 0;
    const before = snapshot(file);
    const again = await start({ DATABASE_URL: `file:${file}` });
    expect(again.lines.find((l) => l.msg === 'database up to date')).toMatchObject({ applied: [] });
    expect(snapshot(file)).toEqual(before);
  });

  it('brings up two processes started at the same moment on one fresh database', async () => {
    const file = freshDatabaseFile();
    const [a, b] = await Promise.all([start({ DATABASE_URL: `file:${file}` }), start({ DATABASE_URL: `file:${file}` })]);
    const applied = [a!, b!].map((s) => s.lines.find((l) => 'applied' in l)!.applied as string[]);
    // One process applied every migration, the other found them applied.
    expect(applied.map((names) => names.length).sort()).toEqual([0, allMigrations.length]);
    expect(snapshot(file).migrations).toHaveLength(allMigrations.length);
    expect(await gql(b!.url, '{ me { id } }')).toEqual({ data: { me: null } });
  });

  it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
    const file = freshDatabaseFile();
    const service = await start({ DATABASE_URL: `file:${file}`, BCRYPT_COST: '13', LOG_LEVEL: 'debug' });
    const register = gql(service.url, 'mutation { register(email: "ada@example.com", password: "correct horse battery") { email } }');
    // Signal only once the server has the request (yoga logs its parsing at debug level);
    // bcrypt at cost 13 then keeps it in flight for a good while after the signal.
    await service.waitForLine((line) => line.msg === 'yoga');
    const exit = service.stop();
    expect(await register).toEqual({ data: { register: { email: 'ada@example.com' } } });
    expect(await exit).toBe(0);
    expect(service.lines.map((l) => l.msg)).toContain('stopped');
  });
});
