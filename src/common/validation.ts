import { DomainError, ErrorCode } from './domain-error';

/** A free-text argument (reason, note) of bounded length, trimmed; BAD_USER_INPUT names the field. */
export function boundedText(value: string, field: string, min: number, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `${field} must have ${min} to ${max} characters.`, { field });
  }
  return trimmed;
}
