import type { Logger } from './logger.ts';

/**
 * Work that must not delay a response (a session touch, a reset mail) but must not be lost
 * either: failures are logged, and shutdown and tests can wait for what is still running.
 */
export class BackgroundTasks {
  readonly #pending = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  run(name: string, work: () => Promise<unknown>): void {
    const task = work().then(
      () => undefined,
      (err: unknown) => this.log.error({ err, task: name }, 'background task failed'),
    );
    this.#pending.add(task);
    void task.finally(() => this.#pending.delete(task));
  }

  /** Like run, but started on the next turn of the event loop, after the current one's I/O. */
  runNextTurn(name: string, work: () => Promise<unknown>): void {
    this.run(name, () => new Promise<void>((resolve) => setImmediate(resolve)).then(work));
  }

  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
