import type { AuditAction } from '../../audit/audit-action';
import { auditActor } from '../../audit/audit-actor';
import type { AuditService } from '../../audit/audit.service';
import type { Database } from '../../db/database';
import { PreparedPages } from '../../db/paged-read';
import { csvFormat, type CsvColumn } from '../../downloads/csv';
import type { DownloadFile, FileFormat } from '../../downloads/file-format';
import { slashDate } from '../../downloads/statement-csv';
import type { TextEncoding } from '../../downloads/text-encoding';
import type { RequestContext } from '../../graphql/context';
import { AccountType } from '../accounts/account.entity';
import type { OrderKind } from '../orders/order-kind';
import { findOrder, ordersVisibleTo } from '../orders/order-lookup';
import { OrderStatus } from '../orders/order-status';
import type { LineStore, LinesOrder, OrderLine } from './order-line.entity';

type Column = CsvColumn<OrderLine>;

/** 預金種目 as a bank's screens and files name it. */
const ACCOUNT_TYPE_LABEL: Readonly<Record<AccountType, string>> = {
  [AccountType.ORDINARY]: '普通',
  [AccountType.CURRENT]: '当座',
  [AccountType.SAVINGS]: '貯蓄',
};

const kebab = (name: string) => name.replace(/(?<!^)([A-Z])/g, '-$1').toLowerCase();

/** The outcome of the whole order (all or nothing), as 取引状況照会 shows it. */
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
 * The result (振込結果) of a bulk or salary transfer as CSV with Japanese headers (csvFormat: CRLF,
 * Shift_JIS unless UTF-8 is asked for): one row per line with bank and branch names, and the
 * outcome, which is the order's own (all or nothing), with its dates in Japan's time;
 * `transferDate` is the 振込指定日 the payees see (a salary transfer's payday, not its debit date).
 * The Zengin 総合振込 and 給与振込 records have no field for an outcome, so the result is not a Zengin file.
 */
export function linesResultFormat(order: LinesOrder, transferDate: string, encoding: TextEncoding): FileFormat<OrderLine> {
  const outcome: Column[] = [
    { header: '結果', value: () => STATUS_LABEL[order.status] },
    { header: '振込指定日', value: () => slashDate(transferDate) },
    { header: '処理日時', value: () => (order.executedAt ? tokyoTime(order.executedAt) : null) },
    { header: '不能事由', value: () => order.failureCode },
  ];
  return csvFormat([...LINE_COLUMNS, ...outcome], encoding);
}

/** What differs between the kinds' result files: the kind, where its lines are, its audit action and its 振込指定日. */
export interface ResultFileOf<O extends LinesOrder, L extends OrderLine> {
  kind: OrderKind<O>;
  lines: LineStore<L>;
  action: AuditAction;
  transferDate: (order: O) => string;
}

/**
 * The result files of one kind of order for the download: who may see the order may download it
 * (the rule of every kind, NOT_FOUND alike otherwise); the download is audited, and the lines are
 * read a page at a time while the file is written.
 */
export class LinesResultFiles<O extends LinesOrder, L extends OrderLine> {
  /** An order's lines by line number. */
  private readonly lines: PreparedPages<L>;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly of: ResultFileOf<O, L>,
  ) {
    this.lines = new PreparedPages(db, of.lines.entity, (line) => `${line.column(of.lines.orderColumn)} = ?`, 'lineNumber');
  }

  /** The result file of order `id`. */
  async file(ctx: RequestContext, id: number, encoding: TextEncoding): Promise<DownloadFile<L>> {
    const { db, of } = this;
    const order = await findOrder(db.manager, of.kind, ordersVisibleTo(ctx, of.kind), id, 'id');
    await db.transaction((m) =>
      this.audit.record(m, auditActor(ctx), {
        action: of.action,
        target: { type: of.kind.targetType, id: order.id },
        detail: { status: order.status, lineCount: order.lineCount, encoding },
      }),
    );
    return {
      // bulk-transfer-7-executed.csv, salary-transfer-3-scheduled.csv
      fileName: `${kebab(of.kind.targetType)}-${order.id}-${order.status.toLowerCase()}.csv`,
      format: linesResultFormat(order, of.transferDate(order), encoding),
      pages: this.lines.read([order.id]),
    };
  }
}
