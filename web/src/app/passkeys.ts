import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { ApiError, gql } from '../graphql/client';
import {
  BeginBulkTransferApprovalDocument,
  BeginPasskeyRegistrationDocument,
  BeginSalaryTransferApprovalDocument,
  BeginTransferApprovalDocument,
  PasskeysDocument,
  RegisterPasskeyDocument,
  RemovePasskeyDocument,
  type PasskeysQuery,
} from '../graphql/api.generated';
import type { Order, OrderKind } from './orders/orders';

/**
 * 取引認証 in the browser (@simplewebauthn/browser): the server issues every challenge, the browser's
 * passkey prompt answers it, and the server checks the answer. A prompt the person cancels (or a
 * browser without passkeys) is the page's own error, PASSKEY_BROWSER.
 */
export type PasskeyItem = PasskeysQuery['passkeys'][number];

export async function myPasskeys(): Promise<PasskeyItem[]> {
  return (await gql(PasskeysDocument, {})).passkeys;
}

/** The browser's part of a ceremony; its refusals (NotAllowedError: cancelled, timed out, no user verification) said as PASSKEY_BROWSER. */
async function inBrowser<T>(ceremony: () => Promise<T>): Promise<T> {
  try {
    return await ceremony();
  } catch (e) {
    throw new ApiError('PASSKEY_BROWSER', String((e as Error)?.name ?? e));
  }
}

/** Registers a passkey of this PC (or security key) under a name, confirmed with the confirmation password. */
export async function registerPasskey(name: string, confirmationPassword: string): Promise<PasskeyItem> {
  const { beginPasskeyRegistration } = await gql(BeginPasskeyRegistrationDocument, {});
  const optionsJSON = JSON.parse(beginPasskeyRegistration.publicKeyOptions);
  const response = await inBrowser(() => startRegistration({ optionsJSON }));
  return (await gql(RegisterPasskeyDocument, { name, registration: JSON.stringify(response), confirmationPassword })).registerPasskey;
}

export async function removePasskey(passkeyId: number, confirmationPassword: string): Promise<void> {
  await gql(RemovePasskeyDocument, { passkeyId, confirmationPassword });
}

/** The challenge for approving one order, by kind. */
const BEGIN_APPROVAL: Record<OrderKind, (id: number) => Promise<{ publicKeyOptions: string }>> = {
  single: async (transferId) => (await gql(BeginTransferApprovalDocument, { transferId })).beginTransferApproval,
  bulk: async (bulkTransferId) => (await gql(BeginBulkTransferApprovalDocument, { bulkTransferId })).beginBulkTransferApproval,
  salary: async (salaryTransferId) => (await gql(BeginSalaryTransferApprovalDocument, { salaryTransferId })).beginSalaryTransferApproval,
};

/** The passkey's answer to a challenge bound to this order as the server holds it (payee, amount, date, account): JSON for approve…(passkeyAssertion:). */
export async function approvalAssertion(order: Pick<Order, 'kind' | 'id'>): Promise<string> {
  const begun = await BEGIN_APPROVAL[order.kind](order.id);
  const optionsJSON = JSON.parse(begun.publicKeyOptions);
  return JSON.stringify(await inBrowser(() => startAuthentication({ optionsJSON })));
}

/** The passkey's answer to a challenge bound to one risky change (begin…): JSON for the change's passkeyAssertion:. */
export async function changeAssertion(begin: () => Promise<{ publicKeyOptions: string }>): Promise<string> {
  const optionsJSON = JSON.parse((await begin()).publicKeyOptions);
  return JSON.stringify(await inBrowser(() => startAuthentication({ optionsJSON })));
}

/**
 * Runs a risky change (a new user, a raised limit, the IP allow-list, a payee's destination): with the
 * passkey's confirmation when the caller has one, and again with it when the server answers
 * PASSKEY_REQUIRED and a passkey has been registered since (a caller with none sees why, from the server).
 */
export async function withChangePasskey<T>(
  hasPasskey: boolean,
  begin: () => Promise<{ publicKeyOptions: string }>,
  run: (passkeyAssertion: string | null) => Promise<T>,
): Promise<T> {
  if (hasPasskey) return run(await changeAssertion(begin));
  try {
    return await run(null);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'PASSKEY_REQUIRED' && (await myPasskeys()).length > 0) return run(await changeAssertion(begin));
    throw e;
  }
}
