// The SQLite file holds password hashes, token hashes and client addresses: on a shared machine
// other accounts must not read it, whatever umask the service was started with.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startService } from '../helpers/service-process.ts';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('a fresh SQLite database', () => {
  it('is created in an owner-only directory, each of its files owner-only, even with umask 0', async () => {
    const root = mkdtempSync(join(tmpdir(), 'auth-api-modes-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    chmodSync(root, 0o755); // an operator's existing directory: left as it is
    const dataDir = join(root, 'data', 'auth');
    const file = join(dataDir, 'auth.db');

    const umask = process.umask(0); // the child inherits it at spawn
    const starting = startService({ DATABASE_URL: `file:${file}` });
    process.umask(umask);
    const service = await starting;
    onTestFinished(() => service.stop().then(() => undefined));
    // A write, so that the WAL and its index exist.
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { register(email: "ada@example.com", password: "correct horse battery") { id } }' }),
    });
    expect(response.status).toBe(200);

    expect([modeOf(join(root, 'data')), modeOf(dataDir)]).toEqual(['700', '700']);
    const files = ['auth.db', 'auth.db-wal', 'auth.db-shm', 'auth.db.migrate-lock'];
    expect(files.map((name) => [name, modeOf(join(dataDir, name))])).toEqual(files.map((name) => [name, '600']));
    expect(modeOf(root)).toBe('755');
  });
});
