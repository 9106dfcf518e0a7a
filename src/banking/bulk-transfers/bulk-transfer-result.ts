import { csvFormat, type CsvColumn } from '../../downloads/csv';
import type { FileFormat } from '../../downloads/file-format';
import { slashDate } from '../../downloads/statement-csv';
import type { TextEncoding } from '../../downloads/text-encoding';
import { AccountType } from '../accounts/account.entity';
import { OrderStatus } from '../orders/order-status';
import type { BulkTransfer, BulkTransferLine } from './bulk-transfer.entity';

type Column = CsvColumn<BulkTransferLine>;

/** 預金種目 as a bank's screens and files name it. */
const ACCOUNT_TYPE_LABEL: Readonly<Record<AccountType, string>> = {
  [AccountType.ORDINARY]: '普通',
  [AccountType.CURRENT]: '当座',
  [AccountType.SAVINGS]: '貯蓄',
};

/** The outcome of the whole bulk transfer (all or nothing), as 取引状況照会 shows it. */
const STATUS_LABEL: Readonly<Record<OrderStatus, string>> = {
  [OrderStatus.PENDING_APPROVAL]: '承認待ち',
  [OrderStatus.HELD]: '保留中',
  [OrderStatus.SCHEDULED]: '予約中',
  [OrderStatus.EXECUTED]: '振込済',
  [OrderStatus.REJECTED]: '差戻し',
  [OrderStatus.FAILED]: '不能',
  [OrderStatus.CANCELLED]: '取消済',
};

const LINE_COLUMNS: Column[] = [
  { header: '明細番号', value: (line) => line.lineNumber },
  { header: '銀行コード', value: (line) => line.bankCode },
  { header: '銀行名', value: (line) => line.bankName },
  { header: '支店コード', value: (line) => line.branchCode },
  { header: '支店名', value: (line) => line.branchName },
  { header: '預金種目', value: (line) => ACCOUNT_TYPE_LABEL[line.accountType] },
  { header: '口座番号', value: (line) => line.accountNumber },
  { header: '受取人名', value: (line) => line.payeeName },
  { header: '振込金額', value: (line) => line.amount },
  { header: '顧客コード1', value: (line) => line.customerCode1 },
  { header: '顧客コード2', value: (line) => line.customerCode2 },
  { header: 'EDI情報', value: (line) => line.ediInfo },
];

const TOKYO_TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'medium' });

/** A moment in Japan's time, as the bank's screens show it: 2026/12/07 10:00:00. */
const tokyoTime = (moment: Date) => slashDate(TOKYO_TIME.format(moment));

/**
 * The result (振込結果) of a bulk transfer as CSV with Japanese headers (csvFormat: CRLF,
 * Shift_JIS unless UTF-8 is asked for): one row per line with bank and branch names, and the
 * outcome, which is the bulk transfer's own (all or nothing), with its dates in Japan's time.
 * The Zengin 総合振込 record has no field for an outcome, so the result is not a Zengin file.
 */
export function bulkTransferResultFormat(bulk: BulkTransfer, encoding: TextEncoding): FileFormat<BulkTransferLine> {
  const outcome: Column[] = [
    { header: '結果', value: () => STATUS_LABEL[bulk.status] },
    { header: '振込指定日', value: () => slashDate(bulk.executionDate) },
    { header: '処理日時', value: () => (bulk.executedAt ? tokyoTime(bulk.executedAt) : null) },
    { header: '不能事由', value: () => bulk.failureCode },
  ];
  return csvFormat([...LINE_COLUMNS, ...outcome], encoding);
}
