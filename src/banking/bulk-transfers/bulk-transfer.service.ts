import { AuditAction } from '../../audit/audit-action';
import { auditActor } from '../../audit/audit-actor';
import type { AuditService } from '../../audit/audit.service';
import type { Clock } from '../../common/clock';
import { DomainError, ErrorCode } from '../../common/domain-error';
import type { Database } from '../../db/database';
import { readInPages } from '../../db/paged-read';
import type { DownloadFile } from '../../downloads/file-format';
import type { TextEncoding } from '../../downloads/text-encoding';
import type { RequestContext } from '../../graphql/context';
import { businessDate } from '../calendar/business-day';
import { nextMonthDay } from '../orders/execution-date';
import { checkedIdempotencyKey } from '../orders/idempotency';
import type { OrderCreation, OrderRequest } from '../orders/order-creation';
import { findOrder, ordersVisibleTo } from '../orders/order-lookup';
import { normalizePayeeName } from '../payee-name';
import {
  headerAccountProblems,
  parseZenginTransferFile,
  validateTransferLines,
  type TransferLineInput,
  type ZenginTransferLine,
} from '../zengin';
import { decodeBase64, linesDigest, refusedLines, type BulkRequest } from './bulk-request';
import { bulkTransferResultFormat } from './bulk-transfer-result';
import { BulkTransfer, BulkTransferLine, BulkTransferSource } from './bulk-transfer.entity';
import { BULK_TRANSFER } from './bulk-transfer.kind';
import { insertInChunks } from './insert-in-chunks';

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
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly orders: OrderCreation,
    private readonly audit: AuditService,
    /** maxLines: BULK_TRANSFER_MAX_LINES; bank: BANK_CODE and BANK_NAME, which a file's header must name. */
    private readonly options: { maxLines: number; bank: { code: string; name: string } },
  ) {}

  /** BULK_TRANSFER_MAX_LINES: more lines are refused before they are checked, confirmed or stored. */
  private assertLineCount(field: 'fileBase64' | 'lines', lineCount: number): void {
    const { maxLines } = this.options;
    if (lineCount <= maxLines) return;
    throw new DomainError(
      ErrorCode.BAD_USER_INPUT,
      `A bulk transfer may have at most ${maxLines} lines; this one has ${lineCount}. Split it into several; nothing was done.`,
      { field, maxLines, lineCount },
    );
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
    const bytes = decodeBase64(fileBase64);
    if (!bytes) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'fileBase64 is not base64.', { field: 'fileBase64' });
    const parsed = parseZenginTransferFile(bytes);
    if (!parsed.ok) throw refusedLines('fileBase64', parsed.problems, parsed.truncated);
    const { header, lines, total } = parsed.file;
    this.assertLineCount('fileBase64', lines.length);
    const requestedDate = nextMonthDay(header.transferDate, businessDate(this.clock.now()));
    if (!requestedDate) {
      const message = `The transfer date (振込指定日) ${header.transferDate} is no date this year or next.`;
      throw refusedLines('fileBase64', [{ record: 1, field: 'transferDate', message, value: header.transferDate }], false);
    }
    const request: BulkRequest = {
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
    this.assertLineCount('lines', lines.length);
    const checked = validateTransferLines(lines);
    if (!checked.ok) throw refusedLines('lines', checked.problems, checked.truncated);
    const request: BulkRequest = {
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

  private create(ctx: RequestContext, request: BulkRequest, confirmationPassword: string, key: string | undefined): Promise<BulkTransfer> {
    const order: OrderRequest<BulkTransfer> = {
      operation: request.operation,
      sameRequestFields: [request.fromAccountId, request.requestedDate, linesDigest(request.lines)],
      fromAccountId: request.fromAccountId,
      // Every line is a transfer under the maker's per-transfer limit.
      transfers: request.lines.map((line) => ({
        amount: line.amount,
        record: line.record,
        label: `${request.source === BulkTransferSource.ZENGIN_FILE ? 'record' : 'line'} ${line.record}`,
      })),
      requestedDate: request.requestedDate,
      requestedDateSource: request.header ? { field: 'transferDate', record: 1 } : { field: 'transferDate' },
      checkPayingAccount: (account) => {
        const problems = request.header ? headerAccountProblems(request.header, this.options.bank, account) : [];
        if (problems.length) throw refusedLines('fileBase64', problems, false);
      },
      columns: {
        source: request.source,
        requesterName: request.requesterName,
        lineCount: request.lines.length,
        totalAmount: request.total,
      },
      detail: { source: request.source },
      afterInsert: (m, bulk) =>
        insertInChunks(
          m,
          BulkTransferLine,
          request.lines.map((line, index) => lineRow(bulk, line, index)),
        ),
    };
    return this.orders.create(BULK_TRANSFER, ctx, order, confirmationPassword, key);
  }

  /** One bulk transfer the caller may see (the rule of every kind of order); any other id is NOT_FOUND alike. */
  bulkTransfer(ctx: RequestContext, id: number): Promise<BulkTransfer> {
    return findOrder(this.db.manager, BULK_TRANSFER, ordersVisibleTo(ctx), id, 'id');
  }

  /**
   * The result as a CSV file (Shift_JIS or UTF-8), every line with its outcome, for the download: who may see the
   * bulk transfer may download it; the download is audited, and the lines are read a page at a
   * time while the file is written.
   */
  async resultFile(ctx: RequestContext, id: number, encoding: TextEncoding): Promise<DownloadFile<BulkTransferLine>> {
    const bulk = await this.bulkTransfer(ctx, id);
    await this.db.transaction((m) =>
      this.audit.record(m, auditActor(ctx), {
        action: AuditAction.BULK_TRANSFER_RESULT_DOWNLOADED,
        target: { type: 'BulkTransfer', id: bulk.id },
        detail: { status: bulk.status, lineCount: bulk.lineCount, encoding },
      }),
    );
    return {
      fileName: `bulk-transfer-${bulk.id}-${bulk.status.toLowerCase()}.csv`,
      format: bulkTransferResultFormat(bulk, encoding),
      pages: readInPages(this.db.manager, BulkTransferLine, { bulkTransferId: bulk.id }, 'lineNumber'),
    };
  }
}

/** A checked line as the bank stores it, numbered from 1 in the order given. */
function lineRow(bulk: BulkTransfer, line: ZenginTransferLine, index: number): BulkTransferLine {
  return {
    bulkTransferId: bulk.id,
    lineNumber: index + 1,
    bankCode: line.bankCode,
    bankName: line.bankName,
    branchCode: line.branchCode,
    branchName: line.branchName,
    accountType: line.accountType,
    accountNumber: line.accountNumber,
    payeeName: normalizePayeeName(line.payeeName),
    amount: line.amount,
    customerCode1: line.customerCode1 ?? null,
    customerCode2: line.customerCode2 ?? null,
    ediInfo: line.ediInfo ?? null,
  } as BulkTransferLine;
}
