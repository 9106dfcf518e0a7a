import { expect } from '@jest/globals';
import type { GraphqlClient, GraphqlResponse } from './client';

export const LOGIN = `mutation Login($pin: String!) {
  login(pin: $pin) {
    token expiresAt idleExpiresAt mustChangePassword
    passwordStatus { expiresAt daysRemaining expired temporary warning }
    certificateStatus { notAfter daysRemaining renewalRecommended warning }
  }
}`;

export const CHANGE_PASSWORD = `mutation Change($kind: PasswordKind!, $current: String!, $next: String!) {
  changePassword(kind: $kind, current: $current, next: $next) { kind mustChangePassword passwordStatus { expired temporary warning } }
}`;

export const ME = '{ me { loginId loggedIn mustChangePassword passwordStatus { daysRemaining expired warning } } }';

export function login(client: GraphqlClient, pin: string): Promise<GraphqlResponse> {
  return client.query(LOGIN, { pin });
}

/** Logs in and makes the client send the token as a bearer from now on. */
export async function loginAsPartner(client: GraphqlClient, pin: string): Promise<string> {
  const response = await login(client, pin);
  expect(response.body.errors).toBeUndefined();
  client.bearer = response.body.data.login.token;
  return client.bearer!;
}

/** Full-width forms of ASCII letters and digits (what a Japanese IME types in 全角 mode). */
export function toFullWidth(text: string): string {
  return text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}
