import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Records (or JSON lines) checked per turn of the event loop: 100 take about half a millisecond,
 * so another user's request waits that long at most, while a 10,000-line file takes 100 turns. At
 * 250 (1–2.5 ms a turn), another user's whoami beside repeated 10,000-line imports had a p99 of
 * 8–8.5 ms; at 100, 6.7–6.9 ms, the imports as fast as before (bench: bulk-transfer, SQLite).
 */
export const RECORDS_PER_TURN = 100;

/** Whether a turn ends before record `index` (from 0): every RECORDS_PER_TURN records, never before the first. */
export const turnEndsBefore = (index: number): boolean => index > 0 && index % RECORDS_PER_TURN === 0;

/** A piece of CPU work written once as a generator: it yields where other requests may be served, and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** All steps at once (for callers that need a result synchronously: tests, small inputs). */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Each step in its own turn of the event loop, so that other requests are served in between. */
export async function runInTurns<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}
