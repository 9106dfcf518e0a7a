import { DomainError, ErrorCode, UnauthenticatedReason } from '../common/domain-error';
import { SessionEndReason } from './session.entity';

/** What a client is told about a session that ended: the reason a program can act on, and words for people. */
export const REASON_TOLD: Record<SessionEndReason, UnauthenticatedReason> = {
  [SessionEndReason.REPLACED]: UnauthenticatedReason.REPLACED_BY_NEWER_LOGIN,
  [SessionEndReason.LOGOUT]: UnauthenticatedReason.LOGGED_OUT,
  [SessionEndReason.IDLE_TIMEOUT]: UnauthenticatedReason.EXPIRED,
  [SessionEndReason.ABSOLUTE_TIMEOUT]: UnauthenticatedReason.EXPIRED,
  [SessionEndReason.CERTIFICATE_MISMATCH]: UnauthenticatedReason.OTHER_CERTIFICATE,
  [SessionEndReason.PASSWORD_RESET]: UnauthenticatedReason.ENDED_BY_ADMINISTRATION,
  [SessionEndReason.SUSPENDED]: UnauthenticatedReason.ENDED_BY_ADMINISTRATION,
  [SessionEndReason.CERTIFICATE_REVOKED]: UnauthenticatedReason.ENDED_BY_ADMINISTRATION,
  [SessionEndReason.CERTIFICATE_REISSUED]: UnauthenticatedReason.ENDED_BY_ADMINISTRATION,
  [SessionEndReason.EMERGENCY_STOP]: UnauthenticatedReason.ENDED_BY_ADMINISTRATION,
  [SessionEndReason.CONTRACT_TERMINATED]: UnauthenticatedReason.ENDED_BY_ADMINISTRATION,
};

const MESSAGE: Record<UnauthenticatedReason, string> = {
  [UnauthenticatedReason.NO_SESSION]: 'Please log in with your PIN first.',
  [UnauthenticatedReason.EXPIRED]: 'Your session has expired. Please log in again.',
  [UnauthenticatedReason.REPLACED_BY_NEWER_LOGIN]: 'You logged in again elsewhere, which ended this session. Please log in again.',
  [UnauthenticatedReason.LOGGED_OUT]: 'You have logged out. Please log in again.',
  [UnauthenticatedReason.OTHER_CERTIFICATE]: 'This session belongs to another certificate. Please log in.',
  [UnauthenticatedReason.ENDED_BY_ADMINISTRATION]: 'Your session was ended by your administrator or the bank. Please log in again.',
};

export function unauthenticated(reason: UnauthenticatedReason, message = MESSAGE[reason]): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, message, { reason });
}
