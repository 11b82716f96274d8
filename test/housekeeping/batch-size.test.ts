// A batch's size follows how long the last one held SQLite's write lock (a write of the service
// waits that long), so a slow (large, cold) table gets smaller batches and a fast one larger.
import { describe, expect, it } from 'vitest';
import { TARGET_BATCH_MS, nextBatchSize } from '../../src/housekeeping/housekeeping.ts';

describe('nextBatchSize', () => {
  it('aims each batch at the target time', () => {
    expect(nextBatchSize(100, 4 * TARGET_BATCH_MS)).toBe(25);
    expect(nextBatchSize(100, TARGET_BATCH_MS)).toBe(100);
  });

  it('doubles up to 1000 rows where nothing waits on a batch (PostgreSQL)', () => {
    expect(nextBatchSize(100, null)).toBe(200);
    expect(nextBatchSize(800, null)).toBe(1000);
  });

  it('at most doubles, and stays between 10 and 1000 rows', () => {
    expect(nextBatchSize(100, 1)).toBe(200);
    expect(nextBatchSize(800, 0)).toBe(1000);
    expect(nextBatchSize(20, 10_000)).toBe(10);
  });
});
