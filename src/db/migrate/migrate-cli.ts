// The child side of migrate-child.ts: reads the job from stdin, applies the migrations,
// prints {"applied": [...]} or a one-line reason on stderr, and exits.
import { text } from 'node:stream/consumers';
import type { MigrationJob } from './migrate-child.ts';
import { migrateDatabase } from './migrate.ts';

try {
  const job = JSON.parse(await text(process.stdin)) as MigrationJob;
  const applied = await migrateDatabase(job.target, job.layout, { connectTimeoutMs: job.connectTimeoutMs });
  process.stdout.write(JSON.stringify({ applied }));
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exit(1);
}
