// Work a resolver wants done only once its answer has left: requestPasswordReset's lookup and
// mail depend on whether the account exists, so if any of it ran before the response, its
// timing could tell. Resolvers hand such work to ctx.afterResponse; this plugin starts it from
// graphql-yoga's onResponse hook (the response is complete; the node adapter writes it in the
// same tick) on the next turn of the event loop, through BackgroundTasks so shutdown and tests
// can wait for it.
import type { Plugin } from 'graphql-yoga';
import type { BackgroundTasks } from '../background.ts';

export interface DeferredTask {
  name: string;
  work: () => Promise<unknown>;
}

/** The tasks of each request in flight, by its Request (the one onResponse is given). */
export class AfterResponseTasks {
  readonly #byRequest = new WeakMap<Request, DeferredTask[]>();

  add(request: Request, task: DeferredTask): void {
    const tasks = this.#byRequest.get(request);
    if (tasks === undefined) this.#byRequest.set(request, [task]);
    else tasks.push(task);
  }

  take(request: Request): DeferredTask[] {
    const tasks = this.#byRequest.get(request) ?? [];
    this.#byRequest.delete(request);
    return tasks;
  }
}

export function useAfterResponse(tasks: AfterResponseTasks, background: BackgroundTasks): Plugin {
  return {
    onResponse({ request }) {
      for (const task of tasks.take(request)) background.runNextTurn(task.name, task.work);
    },
  };
}
