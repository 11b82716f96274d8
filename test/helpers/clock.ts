import type { Clock } from '../../src/clock.ts';

/** A clock the test moves by hand: expiry is tested without waiting. */
export class TestClock implements Clock {
  #now: number;

  constructor(start: Date = new Date('2026-01-15T09:00:00.000Z')) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }
}
