// The README's curl session (examples/curl.sh), run by bash and curl against a listening server.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer } from '../helpers/server.ts';

const script = fileURLToPath(new URL('../../examples/curl.sh', import.meta.url));

describe('curl', () => {
  it('registers, logs in, sees me with the saved cookie, logs out', async () => {
    const server = await startTestServer();
    const dir = mkdtempSync(join(tmpdir(), 'auth-api-curl-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));

    const { stdout } = await promisify(execFile)('bash', ['-eu', script], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', API: server.url },
    });
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { data: { register: { email: 'ada@example.com' } } },
      { data: { login: { email: 'ada@example.com' } } },
      { data: { me: { email: 'ada@example.com' } } },
      { data: { logout: true } },
      { data: { me: null } },
    ]);
  });
});
