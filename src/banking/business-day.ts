const TOKYO_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The business day a moment belongs to, in Asia/Tokyo (YYYY-MM-DD): daily limits reset at
 * midnight Japan time whatever the server's time zone. (Weekends and holidays are not
 * distinguished: the limit is per calendar day.)
 */
export function businessDate(moment: Date): string {
  return TOKYO_DATE.format(moment);
}
