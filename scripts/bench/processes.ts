// Child processes of the benchmarks: the built service (or the bare yoga ceiling), started as
// `npm run serve` runs it, found listening by its log, and stopped. Every child is tracked, so a
// failed run leaves no server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Process {
  child: ChildProcess;
  port: number;
}

/** Every child started and not yet exited. */
export const children = new Set<ChildProcess>();

/**
 * `command` is run by sh and must exec node, so that the child's pid is the server's own.
 * `onLine` sees every later JSON log line (the rest of the log is drained unread).
 */
export function startProcess(
  command: string,
  env: Record<string, string>,
  portOf: (line: Record<string, unknown>) => number | null,
  onLine?: (line: Record<string, unknown>) => void,
): Promise<Process> {
  const child = spawn('sh', ['-c', command], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}`)));
    const lines = createInterface({ input: child.stdout! });
    let found = false;
    lines.on('line', (text) => {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return; // not a JSON line
      }
      if (found) {
        onLine?.(line);
        return;
      }
      const port = portOf(line);
      if (port !== null) {
        found = true;
        if (onLine === undefined) {
          lines.removeAllListeners('line');
          child.stdout!.resume(); // keep draining the log, unread
        }
        resolve({ child, port });
      }
    });
  });
}

export async function stop(processToStop: Process): Promise<void> {
  if (processToStop.child.exitCode !== null) return;
  const exited = new Promise((resolve) => processToStop.child.once('exit', resolve));
  processToStop.child.kill('SIGTERM');
  await exited;
}

export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}
