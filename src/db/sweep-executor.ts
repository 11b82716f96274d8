// Where housekeeping's batches run (src/housekeeping/sweeps.ts), per database.
//
// SQLite: in a worker thread (sweep-worker.ts) with a connection of its own. better-sqlite3 runs
// every statement on the thread that calls it, and measured on the service's event loop a batch
// of deletes held it for 50 to 650 ms now and then: not the deleting, but the commit's fsync and
// the WAL checkpoints that a stream of deletes sets off. In the worker that waiting holds no
// request. The worker lives for one run (release()), so its memory is not kept between runs.
//
// PostgreSQL: through Prisma on the service's pool; the statement runs on the server, off the
// event loop, within DATABASE_STATEMENT_TIMEOUT_SECONDS like any other, and locks only the dead
// rows it deletes, so no request waits on it.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { DatabaseClient } from './client.ts';
import { batchStatement, type BatchResult, type SweepExecutor } from '../housekeeping/sweeps.ts';
import type { SweepReply } from './sweep-worker.ts';

/** As Prisma's SQLite adapter writes DateTimes: ISO-8601 with an explicit offset (see session-lookup.ts). */
const sqliteDateTime = (date: Date) => date.toISOString().replace('Z', '+00:00');

/** The worker's module, next to this one: from the sources under tsx and vitest, from dist/ once built. */
const fromSources = import.meta.url.endsWith('.ts');
const workerEntry = new URL(fromSources ? './sweep-worker.ts' : './sweep-worker.js', import.meta.url);

/** From the sources the thread first registers tsx's loader (node alone cannot load .ts). */
function startWorker(filePath: string): Worker {
  if (!fromSources) return new Worker(fileURLToPath(workerEntry), { workerData: { filePath } });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerEntry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: { filePath } });
}

export function sqliteSweepExecutor(filePath: string): SweepExecutor & { close(): Promise<void> } {
  let worker: Worker | null = null;
  let nextId = 0;
  const waiting = new Map<number, { resolve(result: BatchResult): void; reject(error: Error): void }>();

  const failAll = (error: Error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  };
  const started = () => {
    if (worker !== null) return worker;
    const thread = startWorker(filePath);
    thread.on('message', (reply: SweepReply) => {
      const pending = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ('error' in reply) pending?.reject(new Error(`housekeeping batch failed: ${reply.error}`));
      else pending?.resolve({ deleted: reply.changes, lockHeldMs: reply.tookMs });
    });
    thread.on('error', (error) => failAll(error));
    thread.on('exit', () => {
      if (worker === thread) worker = null;
      failAll(new Error('housekeeping worker stopped'));
    });
    worker = thread;
    return thread;
  };
  const release = async () => {
    const thread = worker;
    worker = null;
    await thread?.terminate();
  };

  return {
    deleteBatch(sweep, cutoffs, limit) {
      const id = nextId++;
      const values = [...sweep.params(cutoffs).map(sqliteDateTime), limit];
      return new Promise<BatchResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        started().postMessage({ id, sql: batchStatement(sweep), values });
      });
    },
    release,
    close: release,
  };
}

export function postgresqlSweepExecutor(prisma: DatabaseClient): SweepExecutor {
  return {
    async deleteBatch(sweep, cutoffs, limit) {
      let n = 0;
      const sql = batchStatement(sweep).replace(/\?/g, () => `$${++n}`);
      const deleted = await prisma.$executeRawUnsafe(sql, ...sweep.params(cutoffs), limit);
      return { deleted, lockHeldMs: null };
    },
    async release() {},
  };
}
