import { tokyoToday, typedNumber } from '../../../common/format';
import {
  EMPTY_DESTINATION,
  destinationProblems,
  normalizedDestination,
  type Destination,
  type DirectoryNames,
  type FieldErrors,
} from '../../../common/destination-rules';
import { recordedPayeeName } from '../../../common/payee-name';
import type { CreateTransferInput, PayeeFieldsFragment } from '../../../graphql/api.generated';

/** A transfer being entered: to a registered payee, or to a destination typed by hand. */
export interface Draft {
  fromAccountId: string;
  mode: 'payee' | 'manual';
  payee: PayeeFieldsFragment | null;
  destination: Destination;
  /** 振込指定日, YYYY-MM-DD; today unless changed. */
  transferDate: string;
  amount: string;
}

export function emptyDraft(fromAccountId = ''): Draft {
  return { fromAccountId, mode: 'manual', payee: null, destination: EMPTY_DESTINATION, transferDate: tokyoToday(), amount: '' };
}

/** What is wrong with each field of the draft before anything is sent (the server checks it all again). */
export function draftProblems(d: Draft, names: DirectoryNames): FieldErrors {
  const errors: FieldErrors = d.mode === 'manual' ? destinationProblems(d.destination, names) : {};
  if (!/^\d+$/.test(d.fromAccountId)) errors.fromAccountId = '支払口座を選んでください。';
  if (d.mode === 'payee' && !d.payee) errors.payeeId = '振込先を一覧から選んでください。';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.transferDate)) errors.transferDate = '振込指定日を指定してください。';
  if (!/^[1-9]\d*$/.test(typedNumber(d.amount))) errors.amount = '振込金額は1円以上の整数で入力してください。';
  return errors;
}

/** The draft as the API takes it: a registered payee by id, or the destination's fields. */
export function transferInput(d: Draft): CreateTransferInput {
  const common = { fromAccountId: Number(d.fromAccountId), amount: Number(typedNumber(d.amount)), transferDate: d.transferDate };
  if (d.mode === 'payee' && d.payee) return { ...common, payeeId: d.payee.id };
  const dest = normalizedDestination(d.destination);
  return {
    ...common,
    destinationBankCode: dest.bankCode,
    destinationBranchCode: dest.branchCode,
    destinationAccountType: dest.accountType,
    destinationAccountNumber: dest.accountNumber,
    payeeName: dest.payeeName,
  };
}

/** The form field a refusal of createTransfer names, as the draft calls it. */
export const TRANSFER_FIELDS: Record<string, string> = {
  destinationBankCode: 'bankCode',
  destinationBranchCode: 'branchCode',
  destinationAccountNumber: 'accountNumber',
  destinationAccountType: 'accountType',
  payeeName: 'payeeName',
  payeeId: 'payeeId',
  amount: 'amount',
  fromAccountId: 'fromAccountId',
  transferDate: 'transferDate',
};

/** The destination as it will be sent and shown for confirmation: a payee's as registered, typed ones as the server records them. */
export function confirmedDestination(d: Draft) {
  if (d.mode === 'payee' && d.payee) return { ...d.payee };
  const dest = normalizedDestination(d.destination);
  return {
    nickname: null,
    bankCode: dest.bankCode,
    branchCode: dest.branchCode,
    accountType: dest.accountType,
    accountNumber: dest.accountNumber,
    payeeName: recordedPayeeName(dest.payeeName) ?? dest.payeeName,
  };
}
