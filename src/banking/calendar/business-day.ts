const TOKYO_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The calendar day a moment belongs to in Asia/Tokyo (YYYY-MM-DD), whatever the server's time
 * zone: the day a transfer was accepted or a statement line booked. Which bank business day a
 * transfer runs on (and counts its daily limits against) is BankDays' to say.
 */
export function businessDate(moment: Date): string {
  return TOKYO_DATE.format(moment);
}
