import { DomainError, ErrorCode, ExecutionDateRefusal } from '../../common/domain-error';
import { isBankBusinessDay, isCalendarDate, nextBusinessDay, previousBusinessDay, type BankDate } from '../calendar/bank-calendar';
import type { BankDays } from '../calendar/bank-days';
import { businessDate } from '../calendar/business-day';
import type { DateSource, ExecutionDates } from '../orders/execution-date';

/** When a salary run happens: the employees are paid on `payday`, the company's account is debited on `debitDate`. */
export interface SalaryDates {
  payday: BankDate;
  /** The bank business day before the payday: the execution date, and the day of the salary limit it counts against. */
  debitDate: BankDate;
  /** Made and approved before this moment: the cut-off, SALARY_SUBMISSION_BUSINESS_DAYS business days before the payday. */
  deadline: Date;
}

/**
 * The dates of a salary run paid on `payday`, asked for at `now`, or INVALID_EXECUTION_DATE naming
 * `source` with the reason, by the rules every order's requested date follows (PAST, CLOSED_DAY,
 * BEYOND_HORIZON: a payday on a closed day is refused, not moved — the company decides whether to
 * pay before or after it) and one of its own: the run must be made — and approved — by the cut-off
 * `submissionDays` business days before the payday, as Japanese banks ask of 給与振込
 * (SUBMISSION_DEADLINE_PASSED, with the first payday still possible).
 */
export function salaryDates(
  dates: ExecutionDates,
  bankDays: BankDays,
  payday: string,
  now: Date,
  submissionDays: number,
  source: DateSource,
): SalaryDates {
  if (!isCalendarDate(payday)) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `The payday ${payday} is not a date (YYYY-MM-DD).`, { field: source.field });
  }
  // Today's payday after today's cut-off is simply too late: the deadline says why and what is possible.
  const reason = dates.refusalOf(payday, now) ?? (isBankBusinessDay(payday) ? null : ExecutionDateRefusal.CLOSED_DAY);
  if (reason !== null && reason !== ExecutionDateRefusal.AFTER_CUTOFF) throw dates.refusal(reason, payday, now, source);
  const deadline = deadlineOf(bankDays, payday, submissionDays);
  if (now >= deadline) {
    const firstPossibleDate = firstPossiblePayday(bankDays, now, submissionDays);
    const message =
      `A salary transfer for ${payday} had to be made and approved by ${deadline.toISOString()} ` +
      `(${submissionDays} business days before the payday, at the cut-off); the first payday still possible is ${firstPossibleDate}.`;
    throw dates.refusal(ExecutionDateRefusal.SUBMISSION_DEADLINE_PASSED, payday, now, source, {
      message,
      facts: { firstPossibleDate, deadline: deadline.toISOString() },
    });
  }
  return { payday, debitDate: previousBusinessDay(payday), deadline };
}

function deadlineOf(bankDays: BankDays, payday: BankDate, submissionDays: number): Date {
  let day = payday;
  for (let i = 0; i < submissionDays; i++) day = previousBusinessDay(day);
  return bankDays.cutoffOf(day);
}

function firstPossiblePayday(bankDays: BankDays, now: Date, submissionDays: number): BankDate {
  let payday = nextBusinessDay(businessDate(now));
  while (deadlineOf(bankDays, payday, submissionDays) <= now) payday = nextBusinessDay(payday);
  return payday;
}
