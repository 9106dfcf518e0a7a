import { DomainError, ErrorCode } from '../common/domain-error';

/** A plain mailbox: ASCII, one @, a dotted domain; nothing a mail client would render as markup. */
const EMAIL_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/**
 * A notice address as given by a user or the administrator: normalised, or null for none.
 * Anything else is refused, and callers check it before the password, so a typo costs no attempt.
 */
export function emailAddressOf(given: string | null | undefined): string | null {
  const address = given?.trim() ?? '';
  if (address === '') return null;
  if (address.length > 254 || !EMAIL_ADDRESS.test(address)) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'emailAddress must be an e-mail address such as keiri@example.co.jp.', {
      field: 'emailAddress',
    });
  }
  return address;
}
