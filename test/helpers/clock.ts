import type { Clock } from '../../src/common/clock';
import { DAY_MS } from '../../src/common/clock';

/** A clock tests move instead of sleeping. Starts at the real time so certificates are valid. */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  advanceDays(days: number): void {
    this.advance(days * DAY_MS);
  }

  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }
}
