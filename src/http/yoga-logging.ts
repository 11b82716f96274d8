// Each error reaches the error log once, from maskError, or not at all. graphql-yoga calls its
// logger's `error` with every error that maskError replaced: that is every AuthError (a wrong
// password, a rate limit: the client's doing, answered with its contract code and recorded by
// the audit log, not a fault of the service) and every unexpected error, which maskError has
// already logged with its detail (errors outside execution even twice more). Level-error lines
// are what operators page on; expected ones, or one failure counted three times, drown them.
import type { YogaLogger } from 'graphql-yoga';
import type { Logger } from '../logger.ts';

export interface ErrorLogging {
  /** maskError calls this first: the error is dealt with, yoga need not log it. */
  markHandled(error: unknown): void;
  /** graphql-yoga's `logging` option. */
  yogaLogger: YogaLogger;
}

export function createErrorLogging(log: Logger): ErrorLogging {
  // Weak: an error is remembered only while yoga may still hold it.
  const handled = new WeakSet<object>();
  const isHandled = (args: unknown[]) => args.length === 1 && typeof args[0] === 'object' && args[0] !== null && handled.has(args[0]);
  return {
    markHandled(error) {
      if (typeof error === 'object' && error !== null) handled.add(error);
    },
    yogaLogger: {
      debug: (...args) => log.debug({ args }, 'yoga'),
      info: (...args) => log.info({ args }, 'yoga'),
      warn: (...args) => log.warn({ args }, 'yoga'),
      error: (...args) => {
        if (!isHandled(args)) log.error({ args }, 'yoga');
      },
    },
  };
}
