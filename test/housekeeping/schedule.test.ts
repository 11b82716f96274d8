// HOUSEKEEPING_INTERVAL_SECONDS: the first run one interval after start-up, the next one interval
// after the last ended (never two at once), and a shutdown that ends a run between batches.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HousekeepingSummary, RunOptions } from '../../src/housekeeping/housekeeping.ts';
import { scheduleHousekeeping } from '../../src/housekeeping/schedule.ts';
import { captureLogs } from '../helpers/logs.ts';

const summary: HousekeepingSummary = { removed: {}, batches: 1, durationMs: 0, longestStallMs: 0, complete: true };

/** A housekeeping whose runs end when the test says so. */
function heldHousekeeping() {
  const runs: Array<{ options: RunOptions; finish: () => void }> = [];
  return {
    runs,
    run(options: RunOptions = {}) {
      return new Promise<HousekeepingSummary>((resolve) => runs.push({ options, finish: () => resolve(summary) }));
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('scheduleHousekeeping', () => {
  it('runs one interval after start-up, then one interval after each run ends, never two at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const housekeeping = heldHousekeeping();
    const schedule = scheduleHousekeeping(housekeeping, { intervalMs: 60_000, isReady: () => true, log: captureLogs().log });

    await vi.advanceTimersByTimeAsync(59_999);
    expect(housekeeping.runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(housekeeping.runs).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(10 * 60_000); // a long run
    expect(housekeeping.runs).toHaveLength(1);
    housekeeping.runs[0]!.finish();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(housekeeping.runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(housekeeping.runs).toHaveLength(2);

    const stopped = schedule.stop();
    expect(housekeeping.runs[1]!.options.isStopping?.()).toBe(true); // the run ends at its next batch
    housekeeping.runs[1]!.finish();
    await stopped;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(housekeeping.runs).toHaveLength(2);
  });

  it('waits for the migrations before the first run', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const housekeeping = heldHousekeeping();
    let migrated = false;
    const schedule = scheduleHousekeeping(housekeeping, { intervalMs: 1000, isReady: () => migrated, log: captureLogs().log });
    await vi.advanceTimersByTimeAsync(5000);
    expect(housekeeping.runs).toHaveLength(0);
    migrated = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(housekeeping.runs).toHaveLength(1);
    housekeeping.runs[0]!.finish();
    await schedule.stop();
  });
});
