/** How amounts and times are shown: yen as ¥1,234,567, times in Asia/Tokyo whatever the PC's zone. */

const TOKYO = 'Asia/Tokyo';

const yenFormat = new Intl.NumberFormat('ja-JP');

/** ¥1,234,567 (whole yen; the API's Yen scalar is a whole number). */
export function yen(amount: number): string {
  return `¥${yenFormat.format(amount)}`;
}

const dateTimeFormat = new Intl.DateTimeFormat('ja-JP', {
  timeZone: TOKYO,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const dateFormat = new Intl.DateTimeFormat('ja-JP', { timeZone: TOKYO, year: 'numeric', month: '2-digit', day: '2-digit' });

/** 2025/11/26 09:05:03 in Japan time. */
export function dateTime(iso: string | null | undefined): string {
  return iso ? dateTimeFormat.format(new Date(iso)) : '—';
}

/** 2025/11/26 in Japan time. */
export function date(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : '—';
}

/** A business day as the API gives it (YYYY-MM-DD) shown as 2025/11/26. */
export function businessDate(day: string): string {
  return day.replaceAll('-', '/');
}

/** Today in Japan (YYYY-MM-DD), for date fields. */
export function tokyoToday(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TOKYO, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return parts; // en-CA formats as YYYY-MM-DD
}

/** YYYY-MM-DD `days` before `day`. */
export function daysBefore(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** The start of a Japan day (YYYY-MM-DD) as an instant, for the audit log's from/to filters. */
export function tokyoDayStart(day: string): string {
  return new Date(`${day}T00:00:00+09:00`).toISOString();
}

/** mm:ss for the idle countdown. */
export function countdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A number as typed, whatever the IME did: full-width digits (０００９) made half-width, and the
 * separators people type inside codes and amounts (hyphens, 「ー」, spaces, commas, 円, ¥) removed.
 * What is left is only digits when the input was a number.
 */
export function typedNumber(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s\-‐‑–—―−－ーｰ,，、円¥￥]/g, '');
}
