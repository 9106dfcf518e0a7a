import holidayJp from '@holiday-jp/holiday_jp';
import { DAY_MS, JST_OFFSET_MS } from '../../common/clock';
import { DomainError, ErrorCode } from '../../common/domain-error';

/** A calendar date in Asia/Tokyo, YYYY-MM-DD. */
export type BankDate = string;

/** The time of day (Asia/Tokyo) from which a transfer is no longer made the same day. */
export interface CutoffTime {
  hour: number;
  minute: number;
}

export interface ExecutionDate {
  /** The bank business day the transfer runs on (YYYY-MM-DD, Asia/Tokyo). */
  executionDate: BankDate;
  /** True when that is a later day than the one it was created on: 予約扱い. */
  scheduled: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Japanese banks are closed for the new year (年末年始) from 31 December to 3 January. */
const NEW_YEAR_CLOSURE = new Set(['12-31', '01-01', '01-02', '01-03']);
/** The package's table of national holidays (and substitute holidays), keyed by YYYY-MM-DD; it runs to 2050. */
const HOLIDAYS: Readonly<Record<string, unknown>> = holidayJp.holidays;

/** Days since the epoch of a valid YYYY-MM-DD; anything else is BAD_USER_INPUT. */
function dayNumber(date: BankDate): number {
  const match = DATE.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const time = Date.UTC(year, month - 1, day);
    const check = new Date(time);
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) return time / DAY_MS;
  }
  throw new DomainError(ErrorCode.BAD_USER_INPUT, `"${date}" is not a date (YYYY-MM-DD).`, { field: 'date' });
}

function dateOf(dayNo: number): BankDate {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

/** Whether `text` is a date that exists, written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  try {
    dayNumber(text);
    return true;
  } catch {
    return false;
  }
}

/** The date `days` days after (or, negative, before) `date`. */
export function addDays(date: BankDate, days: number): BankDate {
  return dateOf(dayNumber(date) + days);
}

/**
 * Whether banks are open on a date: not a Saturday or Sunday, not a national holiday
 * (@holiday-jp/holiday_jp, substitute holidays included) and not the 31 December – 3 January closure.
 */
export function isBankBusinessDay(date: BankDate): boolean {
  const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  if (NEW_YEAR_CLOSURE.has(date.slice(5))) return false;
  return !Object.prototype.hasOwnProperty.call(HOLIDAYS, date);
}

/** The first bank business day strictly after `date`. */
export function nextBusinessDay(date: BankDate): BankDate {
  return businessDayFrom(date, 1);
}

/** The last bank business day strictly before `date` (a salary run's debit date: the business day before payday). */
export function previousBusinessDay(date: BankDate): BankDate {
  return businessDayFrom(date, -1);
}

function businessDayFrom(date: BankDate, step: 1 | -1): BankDate {
  let dayNo = dayNumber(date);
  // The longest run of closed days (Golden Week, the new year) is well under two weeks.
  for (;;) {
    dayNo += step;
    const candidate = dateOf(dayNo);
    if (isBankBusinessDay(candidate)) return candidate;
  }
}

/** Reads a cut-off time such as "15:00" (as configuration holds it); anything else is BAD_USER_INPUT. */
export function parseCutoffTime(text: string): CutoffTime {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  const cutoff = match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined;
  if (!cutoff || !isValidCutoff(cutoff)) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `"${text}" is not a cut-off time (HH:MM, 00:00–23:59).`, { field: 'cutoff' });
  }
  return cutoff;
}

function isValidCutoff({ hour, minute }: CutoffTime): boolean {
  return Number.isInteger(hour) && Number.isInteger(minute) && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59;
}

/**
 * The day a transfer created at `moment` runs: that same day if it is a bank business day and
 * the moment (in Asia/Tokyo, whatever the server's time zone) is before the cut-off; otherwise
 * the next business day, reserved (予約扱い). Daily limits count against this date. The caller
 * passes the moment (from its clock), so the rule is testable at any instant.
 */
export function executionDateFor(moment: Date, cutoff: CutoffTime): ExecutionDate {
  if (!isValidCutoff(cutoff)) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The cut-off time must be between 00:00 and 23:59.', { field: 'cutoff' });
  }
  if (Number.isNaN(moment.getTime()))
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The moment is not a valid time.', { field: 'moment' });
  const tokyoMs = moment.getTime() + JST_OFFSET_MS;
  const today = dateOf(Math.floor(tokyoMs / DAY_MS));
  const msIntoDay = tokyoMs - Math.floor(tokyoMs / DAY_MS) * DAY_MS;
  const cutoffMs = (cutoff.hour * 60 + cutoff.minute) * 60_000;
  if (msIntoDay < cutoffMs && isBankBusinessDay(today)) return { executionDate: today, scheduled: false };
  return { executionDate: nextBusinessDay(today), scheduled: true };
}
