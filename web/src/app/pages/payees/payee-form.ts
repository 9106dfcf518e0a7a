/** A payee's form as the API takes it: what is registered, and only what changed. */
import { EMPTY_DESTINATION, normalizedDestination, type Destination } from '../../../common/destination-rules';
import type { CreatePayeeInput, PayeeFieldsFragment, UpdatePayeeInput } from '../../../graphql/api.generated';

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
