import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Records (or JSON lines) checked per turn of the event loop: 250 are one to three milliseconds,
 * so another user's request waits that long at most, while a 10,000-line file takes 40 turns.
 */
export const RECORDS_PER_TURN = 250;

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
