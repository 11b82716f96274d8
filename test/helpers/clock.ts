import type { Clock } from '../../src/clock.ts';

/**
 * A clock the test moves by hand: expiry is tested without waiting. It starts at the present
 * (to the second), so cookies it dates are not already expired for real clients' cookie jars.
 */
export class TestClock implements Clock {
  #now: number;

  constructor(start: Date = new Date(Math.floor(Date.now() / 1000) * 1000)) {
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
