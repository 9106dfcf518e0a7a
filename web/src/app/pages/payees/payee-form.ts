import { EMPTY_DESTINATION, normalizedDestination, type Destination } from '../../../common/destination';
import { gql } from '../../../graphql/client';
import { PayeesDocument, type CreatePayeeInput, type PayeeFieldsFragment, type UpdatePayeeInput } from '../../../graphql/api.generated';

/** The payee last opened from the list: its change page starts from it without asking the API again. */
let remembered: PayeeFieldsFragment | null = null;

export function rememberPayee(payee: PayeeFieldsFragment): void {
  remembered = payee;
}

/**
 * The payee `id` of the contract, or null when there is none: the list after `id - 1` starts with
 * it (the API lists payees by id and has no single-payee query).
 */
export async function loadPayee(id: number): Promise<PayeeFieldsFragment | null> {
  if (remembered?.id === id) return remembered;
  const { payees } = await gql(PayeesDocument, { search: null, after: id - 1, first: 1 });
  return payees.items[0]?.id === id ? payees.items[0] : null;
}

export interface PayeeDraft {
  nickname: string;
  destination: Destination;
}

export function draftOf(payee: PayeeFieldsFragment | null): PayeeDraft {
  if (!payee) return { nickname: '', destination: EMPTY_DESTINATION };
  const { nickname, bankCode, branchCode, accountType, accountNumber, payeeName } = payee;
  return { nickname, destination: { ...EMPTY_DESTINATION, bankCode, branchCode, accountType, accountNumber, payeeName } };
}

export function createInput(d: PayeeDraft): CreatePayeeInput {
  const { bankCode, branchCode, accountType, accountNumber, payeeName } = normalizedDestination(d.destination);
  return { nickname: d.nickname.trim(), bankCode, branchCode, accountType, accountNumber, payeeName };
}

/** Only what changed: a field left out stays as it is. */
export function changeInput(before: PayeeFieldsFragment, d: PayeeDraft): UpdatePayeeInput {
  const after = createInput(d);
  const change: UpdatePayeeInput = {};
  for (const key of Object.keys(after) as Array<keyof CreatePayeeInput>) {
    if (after[key] !== before[key]) (change as Record<string, string>)[key] = after[key];
  }
  return change;
}
