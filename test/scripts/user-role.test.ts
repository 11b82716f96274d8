// `npm run user:role -- <email> <USER|ADMIN>`: the first administrator is made from the shell.
// A bad role, an unknown email or a missing database changes nothing and exits non-zero with one
// clear line.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isBuildCurrent } from '../../scripts/build-inputs.ts';
import { runUserRole } from '../../src/cli/user-role.ts';
import { createTestApp } from '../helpers/app.ts';
import { ada } from '../helpers/operations.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function run(args: string[], databaseUrl: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runUserRole(args, { DATABASE_URL: databaseUrl }, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('user:role', () => {
  it('makes an existing account an administrator, by its email in any spelling, and back', async () => {
    const api = await createTestApp();
    await api.signedIn();
    const url = api.config.databaseUrl;
    expect(await run([' ADA@Example.com ', 'admin'], url)).toEqual({ code: 0, out: `${ada.email} is now ADMIN.`, err: '' });
    expect((await api.prisma.user.findUniqueOrThrow({ where: { email: ada.email } })).role).toBe('ADMIN');
    expect((await run([ada.email, 'USER'], url)).code).toBe(0);
    expect((await api.prisma.user.findUniqueOrThrow({ where: { email: ada.email } })).role).toBe('USER');
  });

  it('refuses an unknown email, a bad role, a bad email and missing arguments, changing nothing', async () => {
    const api = await createTestApp();
    await api.signedIn();
    const url = api.config.databaseUrl;
    expect(await run(['nobody@example.com', 'ADMIN'], url)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/No account has the email nobody@example\.com: nothing changed/),
    });
    expect(await run([ada.email, 'ROOT'], url)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/"ROOT" is not a role: use USER or ADMIN/),
    });
    expect(await run(['not an email', 'ADMIN'], url)).toMatchObject({ code: 2, err: expect.stringMatching(/is not an email address/) });
    expect(await run([ada.email], url)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^usage: npm run user:role -- <email> <USER\|ADMIN>/),
    });
    expect((await api.prisma.user.findUniqueOrThrow({ where: { email: ada.email } })).role).toBe('USER');
  });

  it('does not create a database where there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'user-role-'));
    expect(await run([ada.email, 'ADMIN'], `file:${dir}/auth.db`)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/No database at .*auth\.db: start the service once/),
    });
  });

  it('runs as a command from the build, with an exit code the shell sees', async () => {
    if (!isBuildCurrent(root)) throw new Error('dist/ is not current: run `npm run build` (npm test does)');
    const api = await createTestApp();
    await api.signedIn();
    const command = promisify(execFile);
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: api.config.databaseUrl };
    const ok = await command('node', ['dist/user-role.js', ada.email, 'ADMIN'], { cwd: root, env });
    expect(ok.stdout).toBe(`${ada.email} is now ADMIN.\n`);
    await expect(command('node', ['dist/user-role.js', 'nobody@example.com', 'ADMIN'], { cwd: root, env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/No account has the email/),
    });
  });
});
