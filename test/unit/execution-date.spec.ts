import { ExecutionDateRefusal } from '../../src/common/domain-error';
import { BankDays } from '../../src/banking/calendar/bank-days';
import { ExecutionDates, nextMonthDay, ScheduledReason } from '../../src/banking/orders/execution-date';
import { searchBanks, searchKey } from '../../src/banking/directory/bank-search';

const tokyo = (date: string, time = '10:00') => new Date(`${date}T${time}:00+09:00`);

describe('execution dates: a requested date kept or refused', () => {
  const dates = new ExecutionDates(new BankDays({ hour: 15, minute: 0 }), 60);

  it.each([
    // Monday 7 December 2026, 10:00 and 15:00 in Tokyo.
    ['2026-12-04', '10:00', ExecutionDateRefusal.PAST],
    ['2026-12-12', '10:00', ExecutionDateRefusal.CLOSED_DAY], // a Saturday
    ['2026-12-31', '10:00', ExecutionDateRefusal.CLOSED_DAY], // 年末年始
    ['2027-02-08', '10:00', ExecutionDateRefusal.BEYOND_HORIZON], // 63 days ahead
    ['2026-12-07', '15:00', ExecutionDateRefusal.AFTER_CUTOFF],
    ['2026-12-07', '14:59', null],
    ['2027-02-05', '10:00', null], // 60 days ahead, a Friday
  ])('%s asked for at %s on 2026-12-07: %s', (date, time, reason) => {
    expect(dates.refusalOf(date, tokyo('2026-12-07', time))).toBe(reason);
  });

  it('names the window of possible dates: the first day an order can run, the last business day within the horizon', () => {
    expect(dates.window(tokyo('2026-12-07', '15:00'))).toEqual({ first: '2026-12-08', last: '2027-02-05' });
  });

  it('in 24-hour operation (TRANSFER_CUTOFF=none) every day is open', () => {
    expect(new ExecutionDates(new BankDays(null), 60).refusalOf('2026-12-12', tokyo('2026-12-07'))).toBeNull();
  });

  it('says why an undated order runs later: made after the cut-off or on a closed day', () => {
    const order = (businessDate: string, executionDate: string, requestedDate: string | null = null) => ({
      businessDate,
      executionDate,
      requestedDate,
    });
    expect(dates.scheduledReason(order('2026-12-07', '2026-12-07'))).toBeNull();
    expect(dates.scheduledReason(order('2026-12-07', '2026-12-08'))).toBe(ScheduledReason.AFTER_CUTOFF);
    expect(dates.scheduledReason(order('2026-12-12', '2026-12-14'))).toBe(ScheduledReason.CLOSED_DAY);
    expect(dates.scheduledReason(order('2026-12-07', '2026-12-09', '2026-12-09'))).toBe(ScheduledReason.REQUESTED_DATE);
  });

  it('reads a header MMDD as the next such date not in the past: this year or next', () => {
    expect(nextMonthDay('1207', '2026-12-07')).toBe('2026-12-07');
    expect(nextMonthDay('1201', '2026-12-07')).toBe('2027-12-01');
    expect(nextMonthDay('0105', '2026-12-07')).toBe('2027-01-05');
    expect(nextMonthDay('0607', '2026-12-07')).toBe('2027-06-07');
    expect(nextMonthDay('0229', '2027-03-01')).toBe('2028-02-29');
    expect(nextMonthDay('0229', '2026-03-01')).toBeUndefined();
  });
});

describe('金融機関検索 keys', () => {
  it('makes hiragana, half-width and small kana one key with the directory’s reading', () => {
    expect(searchKey('しんじゅく')).toBe('シンジユク');
    expect(searchKey('ｼﾝｼﾞｭｸ')).toBe('シンジユク');
    expect(searchKey('三菱ＵＦＪ銀行')).toBe('三菱UFJ');
    expect(searchKey('ミツビシユーエフジエイ')).toBe(searchKey('ミツビシユ－エフジエイ'));
  });

  it('orders an exact code before prefixes and names, and bounds the page', () => {
    expect(searchBanks('0005', 3).map((bank) => bank.code)).toEqual(['0005']);
    expect(searchBanks('みずほ', 1)).toEqual([{ code: '0001', name: 'みずほ', kana: 'ミズホ' }]);
    expect(searchBanks('', 7)).toHaveLength(7);
  });
});
