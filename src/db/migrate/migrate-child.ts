// Runs the schema engine in a short-lived child process. The engine is WebAssembly that takes
// well over 100 MiB while it works; in a child, that memory is returned to the system when the
// child exits instead of staying in the service for its whole life.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DatabaseTarget } from '../database-url.ts';
import type { MigrationLayout } from './layout.ts';

export interface MigrationJob {
  target: DatabaseTarget;
  layout: MigrationLayout;
  connectTimeoutMs: number;
}

/**
 * The child's entry point, next to this module: migrate-cli.ts from the sources (tests, tsx),
 * dist/migrate-cli.js from the build (npm start), where this module is part of dist/main.js.
 */
const entry = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './migrate-cli.ts' : './migrate-cli.js', import.meta.url));

/** Resolves with the names of the migrations applied; rejects with the child's reason. */
export function migrateInChildProcess(job: MigrationJob, signal?: AbortSignal): Promise<string[]> {
  // execArgv carries the service's own node options: the TypeScript loader (tsx) when it runs
  // from the sources, the memory settings of npm start when it runs from dist/.
  const child = spawn(process.execPath, [...process.execArgv, entry], { stdio: ['pipe', 'pipe', 'pipe'] });
  const abort = () => child.kill('SIGTERM');
  signal?.addEventListener('abort', abort, { once: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // The job goes through stdin: the database URL may hold a password, which argv would show to `ps`.
  child.stdin.end(JSON.stringify(job));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, exitSignal) => {
      signal?.removeEventListener('abort', abort);
      if (code === 0) {
        resolve((JSON.parse(stdout) as { applied: string[] }).applied);
      } else {
        const reason = stderr.trim().split('\n').pop() || `exited with ${code ?? exitSignal}`;
        reject(new Error(`migration failed: ${reason}`));
      }
    });
  });
}
