/** The time source for lockout, expiry, sessions and certificate validity; tests move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The real time moved by a fixed amount: a gateway process sharing the clock of the test that started it (TEST_CLOCK_OFFSET_MS). */
export function offsetClock(offsetMs: number): Clock {
  return offsetMs === 0 ? systemClock : { now: () => new Date(Date.now() + offsetMs) };
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Whole days from `from` until `to`, rounded down; negative once `to` has passed. */
export function daysUntil(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/** Japan Standard Time is UTC+9 all year: Japan has kept no daylight saving time since 1951. */
export const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The moment the day of `moment` began in Asia/Tokyo, whatever the server's time zone. */
export function startOfTokyoDay(moment: Date): Date {
  const tokyoMs = moment.getTime() + JST_OFFSET_MS;
  return new Date(Math.floor(tokyoMs / DAY_MS) * DAY_MS - JST_OFFSET_MS);
}
