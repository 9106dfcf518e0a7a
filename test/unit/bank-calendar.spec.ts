import { executionDateFor, isBankBusinessDay, nextBusinessDay, parseCutoffTime } from '../../src/banking/calendar/bank-calendar';
import { startOfTokyoDay } from '../../src/common/clock';
import { DomainError } from '../../src/common/domain-error';

const CUTOFF = { hour: 15, minute: 0 };
/** A moment given as Tokyo wall-clock time. */
const tokyo = (local: string) => new Date(`${local}+09:00`);

describe('bank business days follow the Japanese calendar', () => {
  it.each([
    ['2026-11-24', 'a Tuesday'],
    ['2026-11-27', 'a Friday'],
    ['2026-12-30', 'the last day before the new-year closure'],
    ['2027-01-04', 'the first Monday after it'],
  ])('successful: %s (%s) is a business day', (date) => {
    expect(isBankBusinessDay(date)).toBe(true);
  });

  it.each([
    ['2026-11-03', '文化の日, a Tuesday'],
    ['2026-11-23', '勤労感謝の日, a Monday'],
    ['2026-05-06', 'こどもの日 振替休日'],
    ['2026-09-22', '国民の休日 between 敬老の日 and 秋分の日'],
    ['2026-11-21', 'a Saturday'],
    ['2026-11-22', 'a Sunday'],
    ['2026-12-31', 'bank closure, a Thursday'],
    ['2027-01-01', '元日'],
    ['2027-01-02', 'bank closure, a Saturday'],
    ['2027-01-03', 'bank closure, a Sunday'],
    ['2029-01-02', 'bank closure, a Tuesday that is no national holiday'],
  ])('failing: %s (%s) is not a business day', (date) => {
    expect(isBankBusinessDay(date)).toBe(false);
  });

  it.each([
    ['2026-11-20', '2026-11-24', 'Friday → Tuesday over 勤労感謝の日'],
    ['2026-11-27', '2026-11-30', 'Friday → Monday'],
    ['2026-12-30', '2027-01-04', 'over the new-year closure'],
    ['2026-05-01', '2026-05-07', 'over Golden Week'],
    ['2026-11-23', '2026-11-24', 'from a holiday'],
  ])('successful: the business day after %s is %s (%s)', (date, next) => {
    expect(nextBusinessDay(date)).toBe(next);
  });

  it.each([['2026-02-30'], ['2026-11-3'], ['20261103'], ['']])('failing: "%s" is not a date and is BAD_USER_INPUT', (date) => {
    expect(() => isBankBusinessDay(date)).toThrow(DomainError);
    expect(() => nextBusinessDay(date)).toThrow(/is not a date/);
  });
});

describe('a transfer runs on the execution date: same day before the cut-off, else the next business day (予約扱い)', () => {
  it('successful: 14:59:59.999 Tokyo on a business day runs that day; 15:00:00.000 runs the next business day, scheduled', () => {
    expect(executionDateFor(tokyo('2026-11-26T14:59:59.999'), CUTOFF)).toEqual({ executionDate: '2026-11-26', scheduled: false });
    expect(executionDateFor(tokyo('2026-11-26T15:00:00.000'), CUTOFF)).toEqual({ executionDate: '2026-11-27', scheduled: true });
  });

  it('successful: a Friday after the cut-off runs on Monday', () => {
    expect(executionDateFor(tokyo('2026-11-27T16:30:00'), CUTOFF)).toEqual({ executionDate: '2026-11-30', scheduled: true });
  });

  it('successful: a holiday morning, a Saturday and the new-year closure run on the next business day', () => {
    expect(executionDateFor(tokyo('2026-11-23T09:00:00'), CUTOFF)).toEqual({ executionDate: '2026-11-24', scheduled: true });
    expect(executionDateFor(tokyo('2026-11-28T09:00:00'), CUTOFF)).toEqual({ executionDate: '2026-11-30', scheduled: true });
    expect(executionDateFor(tokyo('2026-12-30T15:01:00'), CUTOFF)).toEqual({ executionDate: '2027-01-04', scheduled: true });
  });

  it('successful: a moment given in UTC that is already the next day in Tokyo counts as that day', () => {
    // 2026-11-26 15:30 UTC is Friday 2026-11-27 00:30 in Tokyo: before the cut-off of a business day.
    expect(executionDateFor(new Date('2026-11-26T15:30:00Z'), CUTOFF)).toEqual({ executionDate: '2026-11-27', scheduled: false });
    // 2026-11-27 23:00 UTC is Saturday 08:00 in Tokyo: the next business day is Monday.
    expect(executionDateFor(new Date('2026-11-27T23:00:00Z'), CUTOFF)).toEqual({ executionDate: '2026-11-30', scheduled: true });
  });

  it("successful: the answer does not depend on the server's time zone", () => {
    const saved = process.env.TZ;
    try {
      const answers = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Tokyo'].map((zone) => {
        process.env.TZ = zone;
        return [executionDateFor(tokyo('2026-11-26T14:59:59.999'), CUTOFF), executionDateFor(tokyo('2026-11-27T00:30:00'), CUTOFF)];
      });
      for (const answer of answers) {
        expect(answer).toEqual([
          { executionDate: '2026-11-26', scheduled: false },
          { executionDate: '2026-11-27', scheduled: false },
        ]);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('successful: the cut-off is configurable', () => {
    const cutoff = parseCutoffTime('9:30');
    expect(cutoff).toEqual({ hour: 9, minute: 30 });
    expect(executionDateFor(tokyo('2026-11-26T09:29:00'), cutoff)).toEqual({ executionDate: '2026-11-26', scheduled: false });
    expect(executionDateFor(tokyo('2026-11-26T09:30:00'), cutoff)).toEqual({ executionDate: '2026-11-27', scheduled: true });
  });

  it.each([['24:00'], ['15:60'], ['15'], ['three'], ['-1:00']])('failing: cut-off "%s" is refused', (text) => {
    expect(() => parseCutoffTime(text)).toThrow(DomainError);
  });

  it('failing: an invalid cut-off or moment is refused, not guessed', () => {
    expect(() => executionDateFor(tokyo('2026-11-26T10:00:00'), { hour: 24, minute: 0 })).toThrow(DomainError);
    expect(() => executionDateFor(tokyo('2026-11-26T10:00:00'), { hour: 15.5, minute: 0 })).toThrow(DomainError);
    expect(() => executionDateFor(new Date('not a date'), CUTOFF)).toThrow(DomainError);
  });
});

describe('days begin at midnight in Tokyo, whatever the server’s time zone', () => {
  it.each([
    ['2026-11-27T00:00:00', '2026-11-27T00:00:00'],
    ['2026-11-27T08:59:59', '2026-11-27T00:00:00'],
    ['2026-11-27T09:00:00', '2026-11-27T00:00:00'],
    ['2026-11-27T23:59:59.999', '2026-11-27T00:00:00'],
  ])('successful: %s (Tokyo) is in the day that began at %s', (moment, start) => {
    expect(startOfTokyoDay(tokyo(moment))).toEqual(tokyo(start));
  });
});
