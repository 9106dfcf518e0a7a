import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { ErrorFacts } from '../common/messages';

/**
 * The web app's only way to the API: POST /graphql on this origin with the typed operations of
 * ./api/*.graphql. The session travels in the HttpOnly cookie set by `login` (SameSite=Strict,
 * so no other site can send it); the preflight header satisfies Apollo's CSRF protection.
 */
export class ApiError extends Error implements ErrorFacts {
  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Refusals that end what the user was doing: the app returns to its login page and says why. */
export const SESSION_ENDING = new Set([
  'UNAUTHENTICATED',
  'CONTRACT_STOPPED',
  'CERTIFICATE_REJECTED',
  'ACCOUNT_LOCKED',
  'PASSWORD_EXPIRED',
]);

type Listener = (event: { kind: 'answered' } | { kind: 'refused'; error: ApiError }) => void;
const listeners = new Set<Listener>();

/** Every answer (for the idle countdown) and every session-ending refusal (to leave the page). */
export function onApiEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

interface Answer<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export async function gql<TResult, TVariables>(
  operation: DocumentTypeDecoration<TResult, TVariables>,
  variables: TVariables,
  endpoint = '/graphql',
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query: String(operation), variables }),
    });
  } catch {
    throw new ApiError('NETWORK', 'network error');
  }
  let answer: Answer<TResult>;
  try {
    answer = (await response.json()) as Answer<TResult>;
  } catch {
    throw new ApiError('INTERNAL', `HTTP ${response.status}`);
  }
  listeners.forEach((listener) => listener({ kind: 'answered' }));
  const first = answer.errors?.[0];
  if (first) {
    const extensions = first.extensions ?? {};
    const error = new ApiError(typeof extensions.code === 'string' ? extensions.code : 'INTERNAL', first.message, extensions);
    if (SESSION_ENDING.has(error.code)) listeners.forEach((listener) => listener({ kind: 'refused', error }));
    throw error;
  }
  if (!answer.data) throw new ApiError('INTERNAL', 'no data');
  return answer.data;
}
