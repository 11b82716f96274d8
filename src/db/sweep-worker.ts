// The thread that runs housekeeping's SQLite batches (sweep-executor.ts): its own connection,
// so the statement, its commit and the checkpoints it triggers block this thread, never the
// service's event loop. One message in, one answer out: { id, changes } or { id, error }.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface SweepRequest {
  id: number;
  sql: string;
  values: Array<string | number>;
}

export type SweepReply = { id: number; changes: number; tookMs: number } | { id: number; error: string };

/** Waits for the service's write lock here, off its event loop. */
const BUSY_TIMEOUT_MS = 5000;

const { filePath } = workerData as { filePath: string };
// fileMustExist: housekeeping never creates an empty database where the service's is missing.
const connection = new Database(filePath, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
// A delete lost in a crash is done again by the next run: no fsync per commit (WAL keeps the
// file consistent; the deletes reach the disk with the next checkpoint or FULL commit).
connection.pragma('synchronous = NORMAL');
// Each deleted row touches a page of every index on its table, at random places: a cache of its
// own (32 MiB, the default is 2) for the run's length; the thread and its memory go when it ends.
connection.pragma('cache_size = -32768');
const statements = new Map<string, Database.Statement>();

parentPort!.on('message', ({ id, sql, values }: SweepRequest) => {
  let reply: SweepReply;
  try {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = connection.prepare(sql);
      statements.set(sql, statement);
    }
    const started = performance.now();
    const { changes } = statement.run(...values);
    const tookMs = performance.now() - started;
    // The batch's pages go to the database file here, now, so that the WAL is found checkpointed
    // by the service's next commit; otherwise that commit, past 1000 pages of our deletes, would
    // run the checkpoint itself, fsync included, on the event loop. PASSIVE: it never waits for
    // the service, nor makes the service wait.
    connection.pragma('wal_checkpoint(PASSIVE)');
    reply = { id, changes, tookMs };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
