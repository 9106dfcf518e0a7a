import { DomainError, ErrorCode, PasskeyRefusal } from '../../common/domain-error';

const SAY: Record<PasskeyRefusal, string> = {
  [PasskeyRefusal.UNKNOWN_CHALLENGE]: 'The passkey answered a challenge this service did not issue to you for this.',
  [PasskeyRefusal.CHALLENGE_USED]: 'The passkey answered a challenge that was used already (each is used once).',
  [PasskeyRefusal.CHALLENGE_EXPIRED]: 'The passkey challenge expired.',
  [PasskeyRefusal.OTHER_ORDER]: 'The passkey assertion was made for another order.',
  [PasskeyRefusal.ORDER_CHANGED]: 'The order changed after the passkey challenge was issued.',
  [PasskeyRefusal.UNKNOWN_PASSKEY]: 'The passkey is not one registered for your user ID.',
  [PasskeyRefusal.NOT_VERIFIED]: 'The passkey assertion could not be verified (signature, site or user verification).',
  [PasskeyRefusal.COUNTER]: 'The passkey’s signature counter did not move forward.',
};

/** PASSKEY_VERIFICATION_FAILED with the reason; nothing changed. */
export function passkeyRefused(reason: PasskeyRefusal): DomainError {
  return new DomainError(ErrorCode.PASSKEY_VERIFICATION_FAILED, `${SAY[reason]} Nothing changed; begin again.`, { reason });
}

export function isPasskeyRefusal(error: unknown): error is DomainError & { details: { reason: PasskeyRefusal } } {
  return error instanceof DomainError && error.code === ErrorCode.PASSKEY_VERIFICATION_FAILED;
}
