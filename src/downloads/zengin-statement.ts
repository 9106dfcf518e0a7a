import { AccountType, type Account } from '../banking/accounts/account.entity';
import { StatementDirection, type StatementLine } from '../banking/accounts/statement-line.entity';
import { jisX0201Byte, toZenginKana } from '../banking/zengin';
import type { FileFormat } from './file-format';
import { eraDate } from './japanese-era';

/**
 * The 全銀協 入出金取引明細 (種別コード 03) file, for an ordinary, current or savings account: fixed
 * 200-byte records in Shift_JIS (JIS X 0201: digits, upper-case letters, half-width katakana),
 * one header, a data record per movement, one trailer, one end record, CR LF after each.
 * N fields are digits, right-aligned and zero-filled; C fields are left-aligned and space-filled.
 * Dates are YYMMDD in the Japanese era (令和8年12月7日 → 081207).
 *
 * Layout as 全銀協「AP-Ⅰ-12〔別冊〕適用業務およびレコード・フォーマット」sets it and banks republish it
 * for their customers' downloads (e.g. きらぼし銀行「入出金明細(全銀)明細ファイル・フォーマット」);
 * two public readers agree field by field (docs/downloads.md). The data record has no balance:
 * the header carries the balance before the period, the trailer the balance after it.
 */
const RECORD_LENGTH = 200;
/** A record as written: its 200 bytes and CR LF. */
const RECORD_BYTES = RECORD_LENGTH + 2;

type Field = readonly [name: string, width: number, kind: 'N' | 'C'];
type FieldValues = Readonly<Record<string, string | number | undefined>>;

/**
 * A record layout: where each field sits, and the record with every field blank (N fields zeros,
 * C fields spaces). A record is written as that blank with its values over it, straight into the
 * page's bytes: a 100,000-line file is written in slices other requests wait between, and
 * building each field as a string, the record as their join and the page as theirs made most of
 * its time and garbage.
 */
class RecordLayout {
  private readonly fields: ReadonlyArray<{ name: string; at: number; width: number; kind: 'N' | 'C' }>;
  private readonly blank: Buffer;

  constructor(fields: readonly Field[]) {
    let at = 0;
    this.fields = fields.map(([name, width, kind]) => {
      const placed = { name, at, width, kind };
      at += width;
      return placed;
    });
    if (at !== RECORD_LENGTH) throw new Error(`入出金取引明細 layout adds up to ${at} bytes`);
    this.blank = Buffer.from(`${fields.map(([, width, kind]) => (kind === 'N' ? '0' : ' ').repeat(width)).join('')}\r\n`, 'latin1');
  }

  /** One record per row, one after another. */
  records<Row>(rows: readonly Row[], values: (row: Row) => FieldValues): Buffer {
    const out = Buffer.allocUnsafe(rows.length * RECORD_BYTES);
    rows.forEach((row, i) => this.write(out, i * RECORD_BYTES, values(row)));
    return out;
  }

  record(values: FieldValues): Buffer {
    return this.records([values], (v) => v);
  }

  private write(out: Buffer, start: number, values: FieldValues): void {
    this.blank.copy(out, start);
    for (const { name, at, width, kind } of this.fields) {
      const value = values[name];
      if (value === undefined) continue;
      if (kind === 'C') {
        put(out, start + at, halfWidthText(String(value)), width);
        continue;
      }
      const digits = String(value);
      if (!/^\d+$/.test(digits) || digits.length > width) throw new Error(`${name} ${digits} does not fit N(${width})`);
      put(out, start + at + width - digits.length, digits, width);
    }
  }
}

/**
 * Writes at most `width` characters of `text` at `at`, each the one byte of JIS X 0201 that
 * Shift_JIS keeps it as (halfWidthText leaves no other): iconv-lite's encoder was a third of a
 * statement file's CPU.
 */
function put(out: Buffer, at: number, text: string, width: number): void {
  const length = Math.min(text.length, width);
  for (let i = 0; i < length; i++) {
    const byte = jisX0201Byte(text.charCodeAt(i));
    if (byte < 0) throw new Error(`入出金取引明細 field holds U+${text.charCodeAt(i).toString(16)}, which is not JIS X 0201`);
    out[at + i] = byte;
  }
}

const STATEMENT_HEADER = new RecordLayout([
  ['recordKind', 1, 'N'], // データ区分 1
  ['typeCode', 2, 'N'], // 種別コード 03 入出金取引明細
  ['codeType', 1, 'N'], // コード区分 0 JIS
  ['createdOn', 6, 'N'], // 作成日 (和暦 YYMMDD)
  ['from', 6, 'N'], // 勘定日(自)
  ['to', 6, 'N'], // 勘定日(至)
  ['bankCode', 4, 'N'], // 銀行コード
  ['bankName', 15, 'C'], // 銀行名
  ['branchCode', 3, 'N'], // 支店コード
  ['branchName', 15, 'C'], // 支店名
  ['reserved', 3, 'N'], // ダミー 000
  ['accountType', 1, 'N'], // 預金種目 1 普通 2 当座 4 貯蓄
  ['accountNumber', 10, 'N'], // 口座番号
  ['accountName', 40, 'C'], // 口座名
  ['openingSign', 1, 'N'], // 貸越区分 1 プラス 2 マイナス (取引前残高)
  ['passbook', 1, 'N'], // 通帳・証書区分 1 通帳 (0: none — a current account has no passbook)
  ['openingBalance', 14, 'N'], // 取引前残高
  ['dummy', 71, 'C'],
]);

const STATEMENT_DATA = new RecordLayout([
  ['recordKind', 1, 'N'], // データ区分 2
  ['inquiryNumber', 8, 'N'], // 照会番号
  ['bookingDate', 6, 'N'], // 勘定日
  ['valueDate', 6, 'N'], // 預入・払出日 (起算日)
  ['direction', 1, 'N'], // 入払区分 1 入金 2 出金
  ['transactionKind', 2, 'N'], // 取引区分 10 現金 11 振込 12 他店券入金 13 交換 14 振替 18 その他 19 訂正
  ['amount', 12, 'N'], // 取引金額
  ['otherBankCheques', 12, 'N'], // うち他店券金額
  ['clearingDate', 6, 'N'], // 交換呈示日
  ['dishonourDate', 6, 'N'], // 不渡返還日
  ['billKind', 1, 'N'], // 手形・小切手区分
  ['billNumber', 7, 'N'], // 手形・小切手番号
  ['branchOfTransaction', 3, 'N'], // 僚店番号
  ['remitterCode', 10, 'N'], // 振込依頼人コード
  ['remitterName', 48, 'C'], // 振込依頼人名又は契約者番号 (入金: the remitter; 出金: 口座振替's 契約者番号)
  ['remitterBank', 15, 'C'], // 仕向銀行名
  ['remitterBranch', 15, 'C'], // 仕向店名
  ['summary', 20, 'C'], // 摘要内容
  ['ediInfo', 20, 'C'], // EDI情報
  ['dummy', 1, 'C'],
]);

const STATEMENT_TRAILER = new RecordLayout([
  ['recordKind', 1, 'N'], // データ区分 8
  ['creditCount', 6, 'N'], // 入金件数
  ['creditTotal', 13, 'N'], // 入金額合計
  ['debitCount', 6, 'N'], // 出金件数
  ['debitTotal', 13, 'N'], // 出金額合計
  ['closingSign', 1, 'N'], // 貸越区分 (取引後残高)
  ['closingBalance', 14, 'N'], // 取引後残高
  ['dataCount', 7, 'N'], // データ・レコード件数
  ['dummy', 139, 'C'],
]);

const STATEMENT_END = new RecordLayout([
  ['recordKind', 1, 'N'], // データ区分 9
  ['recordCount', 10, 'N'], // レコード総件数: header, data and trailer records
  ['accountCount', 5, 'N'], // 口座数
  ['dummy', 184, 'C'],
]);

/** 預金種目 as the header writes it. */
const ACCOUNT_TYPE_DIGIT: Readonly<Record<AccountType, string>> = {
  [AccountType.ORDINARY]: '1',
  [AccountType.CURRENT]: '2',
  [AccountType.SAVINGS]: '4',
};

/**
 * The kinds of movement our statement lines name in their first word (transfer.kind.ts and
 * bulk-transfer.kind.ts write `振込 <payee>`, `総合振込 <payee>`): the 取引区分 and the
 * half-width word a bank's 摘要 shows for them.
 */
const MOVEMENT_KINDS: ReadonlyArray<{ word: string; kana: string; kind: string }> = [
  { word: '総合振込', kana: 'ｿｳﾌﾘ', kind: '11' },
  { word: '振込', kana: 'ﾌﾘｺﾐ', kind: '11' },
  { word: '口座振替', kana: 'ｺｳﾌﾘ', kind: '14' },
  { word: '振替', kana: 'ﾌﾘｶｴ', kind: '14' },
  { word: '手形決済', kana: 'ﾃｶﾞﾀ', kind: '13' },
];
const OTHER_KIND = '18';

/** What a C field may hold as it is: JIS X 0201 printable, one byte each, upper case, without \\ and ~ (read as ¥ and ‾ in Japan). */
const JIS_X0201_TEXT = /^[\x20-\x5b\x5d-\x60\x7b-\x7d\uff61-\uff9f]*$/u;

/**
 * Text for a C field: half-width (カ)デモ → ｶ)ﾃﾞﾓ), upper case; a character JIS X 0201 cannot
 * hold (a kanji, \\ and ~) becomes "*", so the record stays 200 bytes and shows where something
 * was. Text already in that form (most of it, once converted) is taken as it is.
 */
function halfWidthText(text: string): string {
  if (JIS_X0201_TEXT.test(text)) return text;
  const converted = toZenginKana(text).toUpperCase();
  if (JIS_X0201_TEXT.test(converted)) return converted;
  return [...converted].map((c) => (JIS_X0201_TEXT.test(c) ? c : '*')).join('');
}

/** A balance as the format holds it: 貸越区分 (1 plus, 2 minus) and the amount without a sign. */
const sign = (balance: number) => (balance < 0 ? '2' : '1');

interface Movement {
  kind: string;
  summary: string;
  party: string;
}

/** The movement's kind (取引区分), its 摘要 and the other party, in half-width. */
function movementOf(description: string): Movement {
  const known = MOVEMENT_KINDS.find(({ word }) => description === word || description.startsWith(`${word} `));
  const party = halfWidthText(known ? description.slice(known.word.length).trim() : '');
  return {
    kind: known?.kind ?? OTHER_KIND,
    summary: known ? `${known.kana} ${party}`.trim() : halfWidthText(description),
    party,
  };
}

/**
 * Descriptions already converted, per file: a statement names the same payees again and again, and
 * converting one is the costly part of a record. Kept small: a map grown to 10,000 distinct
 * descriptions cost more per line than converting them (a third of the data records' time).
 */
function movements(): (description: string) => Movement {
  const seen = new Map<string, Movement>();
  return (description) => {
    let movement = seen.get(description);
    if (!movement) {
      if (seen.size >= 1_000) seen.clear();
      seen.set(description, (movement = movementOf(description)));
    }
    return movement;
  };
}

/** What the header says besides the lines: the bank, the account, the period and where the balance stood before it. */
export interface StatementFileHeader {
  bank: { code: string; kana: string };
  branchKana: string;
  account: Pick<Account, 'branchCode' | 'accountType' | 'accountNumber' | 'holderName'>;
  /** YYYY-MM-DD (Asia/Tokyo). */
  createdOn: string;
  from: string;
  to: string;
  openingBalance: number;
}

/**
 * The statement as a 入出金取引明細 file, one object per download: it counts the lines it writes,
 * so the trailer's counts, totals and closing balance are those of the data records above it.
 */
export function zenginStatementFormat(header: StatementFileHeader): FileFormat<StatementLine> {
  const totals = { creditCount: 0, creditTotal: 0, debitCount: 0, debitTotal: 0, closingBalance: header.openingBalance };
  const { account } = header;
  const movement = movements();
  return {
    contentType: 'text/plain; charset=Shift_JIS',
    begin: () =>
      STATEMENT_HEADER.record({
        recordKind: '1',
        typeCode: '03',
        codeType: '0',
        createdOn: eraDate(header.createdOn),
        from: eraDate(header.from),
        to: eraDate(header.to),
        bankCode: header.bank.code,
        bankName: header.bank.kana,
        branchCode: account.branchCode,
        branchName: header.branchKana,
        accountType: ACCOUNT_TYPE_DIGIT[account.accountType],
        accountNumber: account.accountNumber,
        accountName: account.holderName,
        openingSign: sign(header.openingBalance),
        passbook: account.accountType === AccountType.CURRENT ? '0' : '1',
        openingBalance: Math.abs(header.openingBalance),
      }),
    rows: (page) =>
      STATEMENT_DATA.records(page, (line) => {
        const credit = line.direction === StatementDirection.CREDIT;
        totals[credit ? 'creditCount' : 'debitCount'] += 1;
        totals[credit ? 'creditTotal' : 'debitTotal'] += line.amount;
        totals.closingBalance = line.balanceAfter;
        const { kind, summary, party } = movement(line.description);
        return {
          recordKind: '2',
          inquiryNumber: line.id % 100_000_000, // 8 digits: the line's id, its last 8 digits beyond that
          bookingDate: eraDate(line.businessDate),
          valueDate: eraDate(line.businessDate),
          direction: credit ? '1' : '2',
          transactionKind: kind,
          amount: line.amount,
          remitterName: credit ? party : '', // for 出金 the field is 口座振替's 契約者番号
          summary,
        };
      }),
    end: () =>
      Buffer.concat([
        STATEMENT_TRAILER.record({
          recordKind: '8',
          ...totals,
          closingSign: sign(totals.closingBalance),
          closingBalance: Math.abs(totals.closingBalance),
          dataCount: totals.creditCount + totals.debitCount,
        }),
        STATEMENT_END.record({
          recordKind: '9',
          recordCount: totals.creditCount + totals.debitCount + 2,
          accountCount: 1,
        }),
      ]),
  };
}
