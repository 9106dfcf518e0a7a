/**
 * The 全銀協 総合振込 (bulk transfer, 種別コード 21) file: fixed 120-byte records in Shift_JIS (JIS
 * X 0201 half-width characters), one header, the data records, one trailer and one end record,
 * with CR LF after each record or no separator at all. N fields are digits, right-aligned and
 * zero-filled; C fields are half-width characters, left-aligned and space-filled.
 *
 * Layout as the 全銀協制定ファイルフォーマット【総合振込】 sets it and banks republish it for their
 * customers' uploads, e.g. https://expydoc.com/doc/11700435 (all records, field by field),
 * https://www.miyagin.co.jp/kfkdown-zengin-help (120 bytes, "改行コード無し" or CR LF) and the
 * Web21 総合振込 (全銀形式) layout (https://happylibus.com/doc/455113: the data record's tail,
 * 振込指定区分 and 識別表示 "Y" for EDI). Offsets below are 0-based bytes; the sum of each
 * record's widths is 120, which test/unit/zengin.spec.ts checks.
 */
export interface FieldSpan {
  readonly start: number;
  readonly length: number;
}

function layout<T extends Record<string, number>>(widths: T): { readonly [K in keyof T]: FieldSpan } {
  let start = 0;
  const spans = {} as Record<keyof T, FieldSpan>;
  for (const [name, length] of Object.entries(widths) as Array<[keyof T, number]>) {
    spans[name] = { start, length };
    start += length;
  }
  if (start !== ZENGIN_RECORD_LENGTH) throw new Error(`Zengin layout adds up to ${start} bytes, not ${ZENGIN_RECORD_LENGTH}`);
  return spans;
}

export const ZENGIN_RECORD_LENGTH = 120;

/** データ区分: the first byte of every record. */
export const RecordKind = { HEADER: '1', DATA: '2', TRAILER: '8', END: '9' } as const;

export const HEADER = layout({
  recordKind: 1, // データ区分 1
  typeCode: 2, // 種別コード 21 総合振込
  codeType: 1, // コード区分 0 JIS (Shift_JIS), 1 EBCDIC
  requesterCode: 10, // 振込依頼人コード (委託者コード), N
  requesterName: 40, // 振込依頼人名, C
  transferDate: 4, // 振込指定日 (取組日) MMDD
  bankCode: 4, // 仕向銀行番号
  bankName: 15, // 仕向銀行名
  branchCode: 3, // 仕向支店番号
  branchName: 15, // 仕向支店名
  accountType: 1, // 預金種目 (依頼人)
  accountNumber: 7, // 口座番号 (依頼人)
  dummy: 17,
});

export const DATA = layout({
  recordKind: 1, // データ区分 2
  bankCode: 4, // 被仕向銀行番号
  bankName: 15, // 被仕向銀行名
  branchCode: 3, // 被仕向支店番号
  branchName: 15, // 被仕向支店名
  clearingHouse: 4, // 手形交換所番号 (unused)
  accountType: 1, // 預金種目 1 普通 2 当座 4 貯蓄 9 その他
  accountNumber: 7, // 口座番号
  payeeName: 30, // 受取人名, C
  amount: 10, // 振込金額, N
  newCode: 1, // 新規コード
  customerCode1: 10, // 顧客コード1, N — with 識別表示 "Y" these 20 bytes are EDI情報, C
  customerCode2: 10, // 顧客コード2, N
  transferKind: 1, // 振込指定区分 7 電信 8 文書
  ediMark: 1, // 識別表示 "Y" = EDI情報
  dummy: 7,
});

/** With 識別表示 "Y" the two customer codes are one 20-byte EDI情報 field. */
export const DATA_EDI: FieldSpan = { start: DATA.customerCode1.start, length: 20 };

export const TRAILER = layout({
  recordKind: 1, // データ区分 8
  totalCount: 6, // 合計件数
  totalAmount: 12, // 合計金額
  dummy: 101,
});

export const END = layout({
  recordKind: 1, // データ区分 9
  dummy: 119,
});

/** 預金種目 digits. 9 (その他) exists in the format but names no account a transfer can reach here. */
export const ACCOUNT_TYPE_DIGIT = { ORDINARY: '1', CURRENT: '2', SAVINGS: '4' } as const;

/** 種別コード values, named in the problem when a file of another kind is sent. */
export const TYPE_CODES: Readonly<Record<string, string>> = {
  '21': '総合振込',
  '11': '給与振込',
  '12': '賞与振込',
  '71': '給与振込 (公務員)',
  '72': '賞与振込 (公務員)',
  '91': '口座振替',
};
