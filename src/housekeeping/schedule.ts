// Runs housekeeping every HOUSEKEEPING_INTERVAL_SECONDS, the first one interval after start-up.
// The next run is timed from the end of the last, so two runs never overlap however long one
// takes; stop() ends a run between batches and settles once it has.
import type { Logger } from '../logger.ts';
import type { Housekeeping } from './housekeeping.ts';

export interface HousekeepingSchedule {
  stop(): Promise<void>;
}

export function scheduleHousekeeping(
  housekeeping: Pick<Housekeeping, 'run'>,
  options: { intervalMs: number; isReady: () => boolean; log: Logger },
): HousekeepingSchedule {
  let stopping = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;

  const arm = () => {
    timer = setTimeout(tick, options.intervalMs);
    timer.unref();
  };
  function tick() {
    // Before the migrations are applied (PostgreSQL coming up) there is nothing to sweep yet.
    if (!options.isReady()) return arm();
    running = housekeeping
      .run({ isStopping: () => stopping })
      .then(
        () => undefined,
        (err: unknown) => options.log.error({ err }, 'housekeeping run failed'),
      )
      .finally(() => {
        if (!stopping) arm();
      });
  }
  arm();

  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}
