import { DomainError, ErrorCode, ExecutionDateRefusal } from '../../common/domain-error';
import { addDays, isCalendarDate, type BankDate } from '../calendar/bank-calendar';
import type { BankDays } from '../calendar/bank-days';
import { businessDate } from '../calendar/business-day';
import type { PaymentOrder } from './payment-order.entity';

/** Why an order runs on a later day than the one it was made on (予約扱い): `scheduledReason` in the API. */
export enum ScheduledReason {
  /** The customer asked for that day (振込指定日). */
  REQUESTED_DATE = 'REQUESTED_DATE',
  /** Made (or approved) after the cut-off of a business day: it runs on the next one. */
  AFTER_CUTOFF = 'AFTER_CUTOFF',
  /** Made on a day banks are closed: it runs on the next business day. */
  CLOSED_DAY = 'CLOSED_DAY',
}

/** Where a requested date came from, for the refusal: the argument or input field, and a Zengin file's header record. */
export interface DateSource {
  field: string;
  record?: number;
}

const MESSAGES: Record<ExecutionDateRefusal, (date: BankDate, window: DateWindow, horizonDays: number) => string> = {
  [ExecutionDateRefusal.PAST]: (date, w) => `The transfer date ${date} has passed; the first possible date is ${w.first}.`,
  [ExecutionDateRefusal.CLOSED_DAY]: (date, w) =>
    `${date} is not a bank business day (a weekend, a national holiday or 12/31–1/3); choose a business day from ${w.first}.`,
  [ExecutionDateRefusal.AFTER_CUTOFF]: (date, w) =>
    `Today’s cut-off has passed, so a transfer cannot run today (${date}); the first possible date is ${w.first}.`,
  [ExecutionDateRefusal.BEYOND_HORIZON]: (date, w, days) => `${date} is more than ${days} days ahead; the last possible date is ${w.last}.`,
  [ExecutionDateRefusal.SUBMISSION_DEADLINE_PASSED]: (date, w) =>
    `The submission deadline for ${date} has passed; the first possible date is ${w.first}.`,
};

/** The days an order made now may ask for: from the first it can run on to the last business day within the horizon. */
export interface DateWindow {
  first: BankDate;
  last: BankDate;
}

/**
 * The execution date of a payment order of any kind (DESIGN.md §6.9): a date the customer asked
 * for (振込指定日) is kept as asked or refused with INVALID_EXECUTION_DATE — the reason and the
 * days that are possible — and never moved; without one, the first day the order can run
 * (the next business day after the cut-off or on a closed day, 予約扱い).
 */
export class ExecutionDates {
  constructor(
    private readonly bankDays: BankDays,
    /** TRANSFER_DATE_HORIZON_DAYS: how far ahead a date may be asked for. */
    private readonly horizonDays: number,
  ) {}

  window(now: Date): DateWindow {
    const first = this.bankDays.executionDate(now).executionDate;
    let last = addDays(businessDate(now), this.horizonDays);
    while (last > first && !this.bankDays.isOpen(last)) last = addDays(last, -1);
    return { first, last };
  }

  /** Why an order made now cannot run on `date`, or null when it can. */
  refusalOf(date: BankDate, now: Date): ExecutionDateRefusal | null {
    if (date < businessDate(now)) return ExecutionDateRefusal.PAST;
    if (!this.bankDays.isOpen(date)) return ExecutionDateRefusal.CLOSED_DAY;
    const window = this.window(now);
    if (date < window.first) return ExecutionDateRefusal.AFTER_CUTOFF;
    if (date > addDays(businessDate(now), this.horizonDays)) return ExecutionDateRefusal.BEYOND_HORIZON;
    return null;
  }

  /**
   * The day an order made now runs: `requested` as asked (YYYY-MM-DD), or the first possible day
   * when none was asked. A date that cannot be kept is INVALID_EXECUTION_DATE naming `source`.
   */
  executionDate(requested: string | null, now: Date, source: DateSource): BankDate {
    if (requested === null) return this.window(now).first;
    if (!isCalendarDate(requested)) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, `${source.field} "${requested}" is not a date (YYYY-MM-DD).`, {
        field: source.field,
      });
    }
    const reason = this.refusalOf(requested, now);
    if (reason === null) return requested;
    throw this.refusal(reason, requested, now, source);
  }

  /**
   * INVALID_EXECUTION_DATE for `requested`, with the reason and the days that are possible; a
   * kind with its own rule (a salary run's submission deadline) says its own message and facts.
   */
  refusal(
    reason: ExecutionDateRefusal,
    requested: BankDate,
    now: Date,
    source: DateSource,
    own?: { message: string; facts: Record<string, unknown> },
  ): DomainError {
    const window = this.window(now);
    const message = own?.message ?? MESSAGES[reason](requested, window, this.horizonDays);
    return new DomainError(ErrorCode.INVALID_EXECUTION_DATE, `${message} Nothing was done.`, {
      reason,
      field: source.field,
      ...(source.record === undefined ? {} : { record: source.record }),
      requestedDate: requested,
      firstPossibleDate: window.first,
      lastPossibleDate: window.last,
      ...own?.facts,
    });
  }

  /**
   * An order with a requested date approved when that day can no longer be kept (its cut-off has
   * passed): refused, never moved; the order stays waiting and its maker may cancel it and enter
   * it again. Null when the approval is in time, or the order asked for no date.
   */
  lateApproval(order: PaymentOrder, now: Date, idArgument: string): DomainError | null {
    if (order.requestedDate === null) return null;
    const reason = this.refusalOf(order.executionDate, now);
    if (reason === null) return null;
    const window = this.window(now);
    return new DomainError(
      ErrorCode.INVALID_EXECUTION_DATE,
      `This order was asked for ${order.executionDate}, which an approval now can no longer meet (${reason}); it was not moved to ` +
        `another day and still waits for approval. Its maker can cancel it and enter it again for a date from ${window.first}.`,
      { reason, field: idArgument, requestedDate: order.executionDate, firstPossibleDate: window.first, lastPossibleDate: window.last },
    );
  }

  /** Why an order runs later than the day it was made on, or null when it runs that day. */
  scheduledReason(order: Pick<PaymentOrder, 'requestedDate' | 'executionDate' | 'businessDate'>): ScheduledReason | null {
    if (order.requestedDate !== null) return ScheduledReason.REQUESTED_DATE;
    if (order.executionDate <= order.businessDate) return null;
    return this.bankDays.isOpen(order.businessDate) ? ScheduledReason.AFTER_CUTOFF : ScheduledReason.CLOSED_DAY;
  }
}

/**
 * A Zengin header's 振込指定日 (MMDD, no year) as a date: the next such date that is not in the
 * past — this year's, or next year's once this year's has gone (1月5日 read in December is next
 * January). Undefined when neither year has the day (29 February between leap years).
 */
export function nextMonthDay(monthDay: string, today: BankDate): BankDate | undefined {
  const year = Number(today.slice(0, 4));
  const [month, day] = [monthDay.slice(0, 2), monthDay.slice(2)];
  return [year, year + 1].map((y) => `${y}-${month}-${day}`).find((date) => isCalendarDate(date) && date >= today);
}
