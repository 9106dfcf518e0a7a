import { DomainError, ErrorCode } from '../common/domain-error';
import type { GatewayConfig } from '../config';
import { normalizePassword } from './password-hasher';

const MAX_LENGTH = 64;

/**
 * The configurable password rules. Each broken rule is named in the PASSWORD_POLICY error so
 * the user knows what to fix. Checks that need the stored hashes (history, the other password)
 * are done by the caller.
 */
export function checkPasswordPolicy(password: string, loginId: string, auth: GatewayConfig['auth']): void {
  const value = normalizePassword(password);
  const broken = (rule: string, message: string) => new DomainError(ErrorCode.PASSWORD_POLICY, message, { rule });
  if (value.length < auth.passwordMinLength) {
    throw broken('MIN_LENGTH', `The new password must have at least ${auth.passwordMinLength} characters.`);
  }
  if (value.length > MAX_LENGTH) throw broken('MAX_LENGTH', `The new password must have at most ${MAX_LENGTH} characters.`);
  if (!/[A-Za-z]/.test(value) || !/[0-9]/.test(value)) {
    throw broken('CHARACTER_CLASSES', 'The new password must contain both letters and digits.');
  }
  if (/[^\x21-\x7e]/.test(value)) {
    throw broken('CHARACTERS', 'The new password may contain only letters, digits and symbols (no spaces).');
  }
  if (value.toLowerCase().includes(loginId.toLowerCase())) {
    throw broken('NOT_LOGIN_ID', 'The new password must not contain the login ID.');
  }
}
