// An administrator for tests, made the way an operator makes the first one: the user:role
// command (src/cli/user-role.ts) on the app's database.
import { runUserRole } from '../../src/cli/user-role.ts';
import type { TestApp } from './app.ts';

export const root = { email: 'root@example.com', password: 'operator on call tonight' };

/** `email` made an administrator through the shell command, on `api`'s database. */
export async function promote(api: TestApp, email: string): Promise<void> {
  const lines: string[] = [];
  const code = await runUserRole(
    [email, 'ADMIN'],
    { DATABASE_URL: api.config.databaseUrl },
    { out: (l) => lines.push(l), err: (l) => lines.push(l) },
  );
  if (code !== 0) throw new Error(`user:role failed: ${lines.join(' ')}`);
}

/** A signed-in administrator (root), registered and promoted first. */
export async function signedInAdmin(api: TestApp) {
  const browser = await api.signedIn(root);
  await promote(api, root.email);
  return browser;
}
