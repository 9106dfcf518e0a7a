import { AuditAction } from '../../audit/audit-action';
import type { AuditService } from '../../audit/audit.service';
import type { Clock } from '../../common/clock';
import type { Database } from '../../db/database';
import type { DownloadFile } from '../../downloads/file-format';
import type { TextEncoding } from '../../downloads/text-encoding';
import type { RequestContext } from '../../graphql/context';
import { businessDate } from '../calendar/business-day';
import { nextMonthDay } from '../orders/execution-date';
import { checkedIdempotencyKey } from '../orders/idempotency';
import type { OrderCreation } from '../orders/order-creation';
import { findOrder, ordersVisibleTo } from '../orders/order-lookup';
import type { TransferLineInput } from '../zengin';
import { createLinesOrder, readJsonLines, readZenginFile, refusedLines, type LinesRequest } from '../lines/lines-request';
import { LinesResultFiles, type ResultFileOf } from '../lines/lines-result';
import { BulkTransfer, BulkTransferLine, BulkTransferSource } from './bulk-transfer.entity';
import { BULK_TRANSFER, BULK_TRANSFER_LINES } from './bulk-transfer.kind';

/** The result file (振込結果) of a bulk transfer: its 振込指定日 is the day it runs. */
const BULK_RESULT: ResultFileOf<BulkTransfer, BulkTransferLine> = {
  kind: BULK_TRANSFER,
  lines: BULK_TRANSFER_LINES,
  action: AuditAction.BULK_TRANSFER_RESULT_DOWNLOADED,
  transferDate: (bulk) => bulk.executionDate,
};

/**
 * Bulk transfers (総合振込): N lines from one account, as a Zengin file or JSON. Every line is
 * checked (bank and branch against the zengin-code directory, account, payee, amount) and all
 * problems answered at once; a good request is confirmed by one confirmation-password check,
 * reserves its total against the maker's and the contract's daily limits in one transaction
 * (all or nothing), waits for one approval by another user when the contract requires it, and
 * executes as one: the balance moves once by the total, every line gets its statement line, in
 * one transaction. It runs on its execution date like a transfer (bank days, the scheduled run).
 */
export class BulkTransferService {
  private readonly resultFiles: LinesResultFiles<BulkTransfer, BulkTransferLine>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly orders: OrderCreation,
    private readonly audit: AuditService,
    /** maxLines: BULK_TRANSFER_MAX_LINES; bank: BANK_CODE and BANK_NAME, which a file's header must name. */
    private readonly options: { maxLines: number; bank: { code: string; name: string } },
  ) {
    this.resultFiles = new LinesResultFiles(db, audit, BULK_RESULT);
  }

  /** A Zengin 総合振込 file (種別コード 21, Shift_JIS, 120-byte records), base64-encoded. */
  async importBulkTransfer(
    ctx: RequestContext,
    fileBase64: string,
    fromAccountId: number,
    confirmationPassword: string,
    idempotencyKey?: string | null,
  ): Promise<BulkTransfer> {
    const key = checkedIdempotencyKey(idempotencyKey);
    const { header, lines, total } = await readZenginFile(fileBase64, ['21'], this.options.maxLines);
    const requestedDate = nextMonthDay(header.transferDate, businessDate(this.clock.now()));
    if (!requestedDate) {
      const message = `The transfer date (振込指定日) ${header.transferDate} is no date this year or next.`;
      throw refusedLines('fileBase64', [{ record: 1, field: 'transferDate', message, value: header.transferDate }], false);
    }
    const request: LinesRequest = {
      operation: 'importBulkTransfer',
      source: BulkTransferSource.ZENGIN_FILE,
      fromAccountId,
      lines,
      total,
      requesterName: header.requesterName,
      requestedDate,
      header,
    };
    return this.create(ctx, request, confirmationPassword, key);
  }

  /** Lines sent as JSON by an integration, checked by the same rules as a file's data records. */
  async createBulkTransfer(
    ctx: RequestContext,
    fromAccountId: number,
    lines: TransferLineInput[],
    transferDate: string | null | undefined,
    confirmationPassword: string,
    idempotencyKey?: string | null,
  ): Promise<BulkTransfer> {
    const key = checkedIdempotencyKey(idempotencyKey);
    const checked = await readJsonLines(lines, this.options.maxLines);
    const request: LinesRequest = {
      operation: 'createBulkTransfer',
      source: BulkTransferSource.JSON,
      fromAccountId,
      lines: checked.lines,
      total: checked.total,
      requesterName: null,
      requestedDate: transferDate ?? null,
    };
    return this.create(ctx, request, confirmationPassword, key);
  }

  private create(ctx: RequestContext, request: LinesRequest, confirmationPassword: string, key: string | undefined): Promise<BulkTransfer> {
    const call = { ctx, confirmationPassword, key, bank: this.options.bank };
    return createLinesOrder(this.orders, this.db, BULK_TRANSFER, BULK_TRANSFER_LINES, call, request, { columns: {} });
  }

  /** One bulk transfer the caller may see (the rule of every kind of order); any other id is NOT_FOUND alike. */
  bulkTransfer(ctx: RequestContext, id: number): Promise<BulkTransfer> {
    return findOrder(this.db.manager, BULK_TRANSFER, ordersVisibleTo(ctx, BULK_TRANSFER), id, 'id');
  }

  /** The result as a CSV file (Shift_JIS or UTF-8), every line with its outcome, for the download. */
  resultFile(ctx: RequestContext, id: number, encoding: TextEncoding): Promise<DownloadFile<BulkTransferLine>> {
    return this.resultFiles.file(ctx, id, encoding);
  }
}
