/**
 * The rules of a destination (a transfer's or a registered payee's) that need no page: its codes
 * as digits however they were typed, and what is wrong with each field before anything is sent.
 */
import { typedNumber } from './format';
import { recordedPayeeName } from './payee-name';
import type { AccountType, BanksQuery } from '../graphql/api.generated';

export interface Destination {
  bankCode: string;
  branchCode: string;
  accountType: AccountType;
  accountNumber: string;
  payeeName: string;
  /** What was typed into the searches, kept with the rest when the person goes back from the confirmation. */
  bankSearch: string;
  branchSearch: string;
}

export const EMPTY_DESTINATION: Destination = {
  bankCode: '',
  branchCode: '',
  accountType: 'ORDINARY',
  accountNumber: '',
  payeeName: '',
  bankSearch: '',
  branchSearch: '',
};

export type DestinationField = 'bankCode' | 'branchCode' | 'accountNumber' | 'payeeName';
export type FieldErrors = Partial<Record<string, string>>;

export type DirectoryEntry = BanksQuery['banks'][number];

/** A code's entry in the directory: not yet a whole code, being looked up, found, or not there. */
export type Lookup = { state: 'none' } | { state: 'loading' } | { state: 'found'; entry: DirectoryEntry } | { state: 'unknown' };

export interface DirectoryNames {
  bank: Lookup;
  branch: Lookup;
}

/** 三井住友（ミツイスミトモ）: the directory's name with its reading. */
export const entryText = (e: DirectoryEntry) => `${e.name}（${e.kana}）`;

/** The destination with its codes and account number as digits, however they were typed. */
export function normalizedDestination(d: Destination): Destination {
  return {
    ...d,
    bankCode: typedNumber(d.bankCode),
    branchCode: typedNumber(d.branchCode),
    accountNumber: typedNumber(d.accountNumber),
  };
}

/** What is wrong with each field before anything is sent (the server checks it all again). */
export function destinationProblems(typed: Destination, names: DirectoryNames): FieldErrors {
  const d = normalizedDestination(typed);
  const errors: FieldErrors = {};
  if (!/^\d{4}$/.test(d.bankCode)) errors.bankCode = '金融機関コードは4桁の数字です。名前や読みで検索して選ぶこともできます。';
  else if (names.bank.state === 'unknown') errors.bankCode = `金融機関コード ${d.bankCode} の金融機関はありません。`;
  if (!/^\d{3}$/.test(d.branchCode)) errors.branchCode = '支店番号は3桁の数字です。';
  else if (names.branch.state === 'unknown') errors.branchCode = `この金融機関に支店番号 ${d.branchCode} の支店はありません。`;
  if (!/^\d{7}$/.test(d.accountNumber)) errors.accountNumber = '口座番号は7桁の数字です。';
  if (!d.payeeName.trim()) errors.payeeName = '受取人名（カナ）を入力してください。';
  else if (recordedPayeeName(d.payeeName) === null) errors.payeeName = PAYEE_NAME_RULE;
  return errors;
}

export const PAYEE_NAME_RULE =
  '受取人名に使えない文字が含まれているか、長すぎます。カナ・英大文字・数字・空白と ( ) . / - で、半角30文字までです（長音「ー」は「-」、「ヲ」は「オ」と書きます）。';
