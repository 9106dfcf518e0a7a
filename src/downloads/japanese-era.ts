/** The Japanese calendar as ICU keeps it, so a new era needs no change here. */
const ERA_DATE = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * A day (YYYY-MM-DD) as Zengin's 200-byte formats write dates: YYMMDD with the year of the
 * Japanese era (和暦): 2026-12-07 is 令和8年12月7日, written 081207.
 */
export function eraDate(day: string): string {
  let written = WRITTEN.get(day);
  if (written === undefined) {
    if (WRITTEN.size >= 10_000) WRITTEN.clear();
    WRITTEN.set(day, (written = format(day)));
  }
  return written;
}

/** Days already written: ICU's formatting costs tens of microseconds, and a statement repeats its days. */
const WRITTEN = new Map<string, string>();

function format(day: string): string {
  const parts = ERA_DATE.formatToParts(new Date(`${day}T00:00:00Z`));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return `${part('year').padStart(2, '0')}${part('month')}${part('day')}`;
}
