// Runs the service as `npm start` does (the build in dist/, through `npm run serve`'s command),
// in a child process, for what only a real process shows: start-up, migrations, signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isBuildCurrent } from '../../scripts/build-inputs.ts';
import { serveCommand } from '../../scripts/paths.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `npm test` builds first; a bare `vitest` after an edit would otherwise test the old build. */
function assertBuildIsCurrent(): void {
  if (!isBuildCurrent(root))
    throw new Error('dist/ is missing or not built from the sources as they are: run `npm run build` (npm test does)');
}
/** Longer than the service's own 10 s shutdown grace. */
const KILL_AFTER_MS = 15_000;

export interface RunningService {
  child: ChildProcess;
  url: string;
  lines: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the first log line, past or future, that matches. */
  waitForLine(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** SIGTERM, then the exit code (SIGKILL after KILL_AFTER_MS: null). */
  stop(): Promise<number | null>;
}

export function spawnService(env: Record<string, string>): ChildProcess {
  assertBuildIsCurrent();
  return spawn('sh', ['-c', serveCommand], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', BCRYPT_COST: '4', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Starts the service and resolves once it logs the URL it listens on. */
export function startService(env: Record<string, string>): Promise<RunningService> {
  const child = spawnService(env);
  const lines: Record<string, unknown>[] = [];
  const watchers: Array<{ matches: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`service exited with ${code} before listening: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      lines.push(parsed);
      for (const watcher of watchers.filter((w) => w.matches(parsed))) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve(parsed);
      }
      if (typeof parsed.url === 'string') {
        resolve({
          child,
          url: parsed.url,
          lines,
          stderr: () => stderr,
          waitForLine: (matches) =>
            new Promise((resolveLine) => {
              const seen = lines.find(matches);
              if (seen) resolveLine(seen);
              else watchers.push({ matches, resolve: resolveLine });
            }),
          stop: () => {
            child.kill('SIGTERM');
            // A process that ignores SIGTERM (a bug under test) must not outlive the test run.
            const kill = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
            return exitOf(child).finally(() => clearTimeout(kill));
          },
        });
      }
    });
  });
}
