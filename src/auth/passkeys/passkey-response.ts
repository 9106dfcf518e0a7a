import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { DomainError, ErrorCode } from '../../common/domain-error';

/** A WebAuthn response as the browser library hands it over, no larger than this. */
const MAX_RESPONSE_CHARS = 16_384;

function parsed(json: string, field: string): Record<string, unknown> & { response: Record<string, unknown> } {
  const refuse = () => new DomainError(ErrorCode.BAD_USER_INPUT, `${field} must be the browser’s WebAuthn response as JSON.`, { field });
  if (json.length > MAX_RESPONSE_CHARS) throw refuse();
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw refuse();
  }
  const object = value as { id?: unknown; type?: unknown; response?: { clientDataJSON?: unknown } } | null;
  if (!object || typeof object.id !== 'string' || object.type !== 'public-key' || typeof object.response?.clientDataJSON !== 'string') {
    throw refuse();
  }
  return object as Record<string, unknown> & { response: Record<string, unknown> };
}

/** The JSON of @simplewebauthn/browser's startAuthentication(), checked for shape (the library checks the rest). */
export function assertionResponse(json: string, field: string): AuthenticationResponseJSON {
  const object = parsed(json, field);
  if (typeof object.response.authenticatorData !== 'string' || typeof object.response.signature !== 'string') {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `${field} must be a passkey assertion.`, { field });
  }
  return object as unknown as AuthenticationResponseJSON;
}

/** The JSON of startRegistration(). */
export function registrationResponse(json: string, field: string): RegistrationResponseJSON {
  const object = parsed(json, field);
  if (typeof object.response.attestationObject !== 'string') {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `${field} must be a passkey registration.`, { field });
  }
  return object as unknown as RegistrationResponseJSON;
}
