// The process around runUserRole (user-role.ts): arguments and environment in, lines and an
// exit code out. Built to dist/user-role.js; `npm run user:role -- <email> <USER|ADMIN>` runs it.
import { runUserRole } from './user-role.ts';

const code = await runUserRole(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exit(code);
