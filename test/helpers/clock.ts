import type { Clock } from '../../src/common/clock';
import { DAY_MS } from '../../src/common/clock';

/** A clock tests move instead of sleeping. Starts at the real time so certificates are valid. */
export class TestClock implements Clock {
  private offset = 0;

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** How far this clock is ahead of the real time: a gateway process started now shares it (TEST_CLOCK_OFFSET_MS). */
  get offsetMs(): number {
    return this.offset;
  }

  advance(ms: number): void {
    this.offset += ms;
  }

  advanceDays(days: number): void {
    this.advance(days * DAY_MS);
  }

  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }

  /**
   * Moves to a moment ahead (a given day and hour: a holiday, a cut-off). Never back: the demo
   * certificates would not be valid yet by the gateway's clock. Certificates the gateway issues
   * after a move are not valid yet for the real TLS handshake, so enroll before moving.
   */
  moveTo(moment: Date): void {
    const ahead = moment.getTime() - this.now().getTime();
    if (ahead < 0) throw new Error(`the test clock moves forward only (asked for ${moment.toISOString()})`);
    this.advance(ahead);
  }
}
