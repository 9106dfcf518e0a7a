import { DAY_MS, JST_OFFSET_MS } from '../../common/clock';
import { executionDateFor, isBankBusinessDay, type BankDate, type CutoffTime, type ExecutionDate } from './bank-calendar';
import { businessDate } from './business-day';

/**
 * The bank days of this gateway: when a transfer made at a moment runs (the Japanese bank
 * calendar and the configured cut-off, bank-calendar.ts), and when its day has come.
 */
export class BankDays {
  constructor(
    /** null: no cut-off and no closed days — every transfer runs the moment it is made (24-hour operation). */
    private readonly cutoff: CutoffTime | null,
  ) {}

  /** The day a transfer made at `now` runs, and whether that is a later day (予約扱い). */
  executionDate(now: Date): ExecutionDate {
    if (this.cutoff === null) return { executionDate: businessDate(now), scheduled: false };
    return executionDateFor(now, this.cutoff);
  }

  /** The moment the cut-off of `date` passes (Asia/Tokyo); with no cut-off, the end of that day. */
  cutoffOf(date: BankDate): Date {
    const startOfDay = Date.parse(`${date}T00:00:00Z`) - JST_OFFSET_MS;
    return new Date(this.cutoff === null ? startOfDay + DAY_MS : startOfDay + (this.cutoff.hour * 60 + this.cutoff.minute) * 60_000);
  }

  /** Whether an order can run on `date`: a bank business day, or any day in 24-hour operation. */
  isOpen(date: BankDate): boolean {
    return this.cutoff === null || isBankBusinessDay(date);
  }

  /** Whether a transfer for `executionDate` runs now: from the start (00:00, Asia/Tokyo) of its day. */
  isDue(executionDate: BankDate, now: Date): boolean {
    return executionDate <= businessDate(now);
  }
}
