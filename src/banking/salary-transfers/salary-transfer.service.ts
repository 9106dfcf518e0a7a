import { AuditAction } from '../../audit/audit-action';
import type { AuditService } from '../../audit/audit.service';
import type { Clock } from '../../common/clock';
import type { Database } from '../../db/database';
import type { DownloadFile } from '../../downloads/file-format';
import type { TextEncoding } from '../../downloads/text-encoding';
import type { RequestContext } from '../../graphql/context';
import type { BankDays } from '../calendar/bank-days';
import { businessDate } from '../calendar/business-day';
import { LinesResultFiles, type ResultFileOf } from '../lines/lines-result';
import { createLinesOrder, readJsonLines, readZenginFile, refusedLines, type LinesRequest } from '../lines/lines-request';
import { LinesSource } from '../lines/order-line.entity';
import { nextMonthDay, type DateSource, type ExecutionDates } from '../orders/execution-date';
import { checkedIdempotencyKey } from '../orders/idempotency';
import type { OrderCreation } from '../orders/order-creation';
import type { TransferLineInput } from '../zengin';
import { salaryDates } from './salary-dates';
import { SalaryCategory, type SalaryTransfer, type SalaryTransferLine } from './salary-transfer.entity';
import { SALARY_TRANSFER, SALARY_TRANSFER_LINES } from './salary-transfer.kind';

/** 種別コード of a Zengin file ↔ category. */
const TYPE_CODE: Record<string, SalaryCategory> = { '11': SalaryCategory.SALARY, '12': SalaryCategory.BONUS };

/** The result file (振込結果) of a salary transfer: its 振込指定日 is the payday, when the employees are paid. */
const SALARY_RESULT: ResultFileOf<SalaryTransfer, SalaryTransferLine> = {
  kind: SALARY_TRANSFER,
  lines: SALARY_TRANSFER_LINES,
  action: AuditAction.SALARY_TRANSFER_RESULT_DOWNLOADED,
  transferDate: (salary) => salary.payday,
};

/**
 * 給与・賞与振込: a payroll run as one order of lines, from a Zengin file (種別コード 11 or 12) or
 * JSON lines, every line checked as a bulk transfer's is. The payday (振込指定日, the order's
 * requestedDate) is required and never moved; the account is debited on the business day before
 * it; the run is refused once its submission deadline has passed (SALARY_SUBMISSION_BUSINESS_DAYS);
 * its total counts against the contract's salary limit, not against the daily transfer limits; the
 * rest is the life every order shares.
 */
export class SalaryTransferService {
  private readonly resultFiles: LinesResultFiles<SalaryTransfer, SalaryTransferLine>;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly bankDays: BankDays,
    private readonly executionDates: ExecutionDates,
    private readonly orders: OrderCreation,
    /** bank: BANK_CODE and BANK_NAME, which a file's header must name. */
    private readonly options: { maxLines: number; submissionBusinessDays: number; bank: { code: string; name: string } },
  ) {
    this.resultFiles = new LinesResultFiles(db, audit, SALARY_RESULT);
  }

  /** A Zengin 給与振込 (11) or 賞与振込 (12) file, base64-encoded: the header's 振込指定日 is the payday. */
  async importSalaryTransfer(
    ctx: RequestContext,
    fileBase64: string,
    fromAccountId: number,
    confirmationPassword: string,
    idempotencyKey?: string | null,
  ): Promise<SalaryTransfer> {
    const key = checkedIdempotencyKey(idempotencyKey);
    const { header, lines, total } = await readZenginFile(fileBase64, Object.keys(TYPE_CODE), this.options.maxLines);
    const payday = nextMonthDay(header.transferDate, businessDate(this.clock.now()));
    if (!payday) {
      const message = `The payday (振込指定日) ${header.transferDate} is no date this year or next.`;
      throw refusedLines('fileBase64', [{ record: 1, field: 'transferDate', message, value: header.transferDate }], false);
    }
    const request: LinesRequest & { requestedDate: string } = {
      source: LinesSource.ZENGIN_FILE,
      operation: 'importSalaryTransfer',
      fromAccountId,
      lines,
      total,
      requesterName: header.requesterName,
      requestedDate: payday,
      header,
    };
    const source = { field: 'transferDate', record: 1 };
    return this.create(ctx, request, TYPE_CODE[header.typeCode], source, { confirmationPassword, key });
  }

  /** Lines sent as JSON, for `payday` (YYYY-MM-DD). */
  async createSalaryTransfer(
    ctx: RequestContext,
    input: { fromAccountId: number; category: SalaryCategory; payday: string; lines: TransferLineInput[] },
    confirmationPassword: string,
    idempotencyKey?: string | null,
  ): Promise<SalaryTransfer> {
    const key = checkedIdempotencyKey(idempotencyKey);
    const checked = await readJsonLines(input.lines, this.options.maxLines);
    const request: LinesRequest & { requestedDate: string } = {
      source: LinesSource.JSON,
      operation: 'createSalaryTransfer',
      fromAccountId: input.fromAccountId,
      ...checked,
      requesterName: null,
      requestedDate: input.payday,
    };
    return this.create(ctx, request, input.category, { field: 'payday' }, { confirmationPassword, key });
  }

  /**
   * The payday is checked now (before the lines' account and limits) and again, by OrderCreation,
   * before and after the password: the submission deadline may pass meanwhile.
   */
  private create(
    ctx: RequestContext,
    request: LinesRequest & { requestedDate: string },
    category: SalaryCategory,
    source: DateSource,
    call: { confirmationPassword: string; key: string | undefined },
  ): Promise<SalaryTransfer> {
    const datesAt = (now: Date) =>
      salaryDates(this.executionDates, this.bankDays, request.requestedDate, now, this.options.submissionBusinessDays, source);
    const dates = datesAt(this.clock.now());
    return createLinesOrder(
      this.orders,
      this.db,
      SALARY_TRANSFER,
      SALARY_TRANSFER_LINES,
      { ctx, ...call, bank: this.options.bank },
      request,
      {
        columns: { category, payday: dates.payday, submissionDeadline: dates.deadline },
        sameRequest: [category],
        executionDate: (now) => datesAt(now).debitDate,
      },
    );
  }

  /** The result as a CSV file (Shift_JIS or UTF-8), every employee's line with the run's outcome, for the download. */
  resultFile(ctx: RequestContext, id: number, encoding: TextEncoding): Promise<DownloadFile<SalaryTransferLine>> {
    return this.resultFiles.file(ctx, id, encoding);
  }
}
