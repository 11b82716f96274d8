// `npm run user:role -- <email> <USER|ADMIN>`: sets an account's role on the database of
// DATABASE_URL, from the shell. The way to make the first administrator; after that,
// administrators can use setUserRole. A bad argument or an unknown email changes nothing and
// exits non-zero with one line saying why.
import { existsSync } from 'node:fs';
import { normaliseEmail } from '../auth/email.ts';
import { AuthError } from '../auth/errors.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { parseDatabaseUrl } from '../db/database-url.ts';

const ROLES = ['USER', 'ADMIN'] as const;
type Role = (typeof ROLES)[number];

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = 'usage: npm run user:role -- <email> <USER|ADMIN>';

/** Exit code: 0 done, 1 nothing to change (unknown email, no database), 2 bad arguments or settings. */
export async function runUserRole(args: string[], env: Record<string, string | undefined>, output: Output): Promise<number> {
  const [rawEmail, rawRole, ...rest] = args;
  if (rawEmail === undefined || rawRole === undefined || rest.length > 0) {
    output.err(USAGE);
    return 2;
  }
  const role = rawRole.toUpperCase();
  if (!ROLES.includes(role as Role)) {
    output.err(`"${rawRole}" is not a role: use USER or ADMIN. ${USAGE}`);
    return 2;
  }
  let email: string;
  try {
    email = normaliseEmail(rawEmail);
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    output.err(`"${rawEmail}" is not an email address: ${error.message}`);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(error.message);
    return 2;
  }
  const target = parseDatabaseUrl(config.databaseUrl);
  if (target.provider === 'sqlite' && !existsSync(target.filePath)) {
    // Opening it would create an empty file where the service expects its database.
    output.err(`No database at ${target.filePath}: start the service once (npm start) to create it, or set DATABASE_URL.`);
    return 1;
  }
  const database = openDatabase(config);
  try {
    const { count } = await database.prisma.user.updateMany({ where: { email }, data: { role: role as Role } });
    if (count === 0) {
      output.err(`No account has the email ${email}: nothing changed.`);
      return 1;
    }
    output.out(`${email} is now ${role}.`);
    return 0;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).trim().split('\n').at(-1)?.trim() || 'unknown error';
    output.err(`Could not change the role (${message}). Has the service started once on this DATABASE_URL, to create its tables?`);
    return 1;
  } finally {
    await database.close();
  }
}
