import type { Request } from 'express';
import { DomainError, ErrorCode } from '../common/domain-error';
import { TEXT_ENCODINGS, type TextEncoding } from './text-encoding';

/** A download's query parameters, checked before anything is read or sent: BAD_USER_INPUT naming the field. */
export function badInput(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, { field });
}

/** One query parameter, given once at most. */
export function single(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badInput(name, `${name} may be given once.`);
  return value;
}

export function required(value: string | undefined, field: string): string {
  if (value === undefined) throw badInput(field, `${field} is required.`);
  return value;
}

export function wholeNumber(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw badInput(field, `${field} must be a whole number.`);
  return Number(value);
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A moment as the GraphQL DateTimeISO scalar takes it: 2026-04-01T00:00:00+09:00 (or a date alone). */
export function moment(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(date.getTime())) {
    throw badInput(field, `${field} must be an ISO 8601 date and time, such as 2026-04-01T00:00:00+09:00.`);
  }
  return date;
}

/** A business day as YYYY-MM-DD that is on the calendar (2026-02-30 is not). */
export function calendarDay(value: string, field: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw badInput(field, `${field} must be a date as YYYY-MM-DD, such as 2026-04-01.`);
  }
  return value;
}

/** One of a closed set of names, `fallback` when absent. */
export function oneOf<T extends string>(value: string | undefined, field: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw badInput(field, `${field} must be one of ${allowed.join(', ')}.`);
  return value as T;
}

/** encoding=shift_jis|utf-8; Shift_JIS unless asked, as Japanese accounting software reads it. */
export function textEncoding(req: Request): TextEncoding {
  return oneOf(single(req, 'encoding'), 'encoding', TEXT_ENCODINGS, 'shift_jis');
}
