import { MoreThanOrEqual } from 'typeorm';
import { AuditAction } from '../../audit/audit-action';
import { auditActor } from '../../audit/audit-actor';
import type { AuditService } from '../../audit/audit.service';
import type { Clock } from '../../common/clock';
import type { Database } from '../../db/database';
import { PreparedPages } from '../../db/paged-read';
import type { BankOfRecord } from '../../downloads/bank-of-record';
import type { DownloadFile } from '../../downloads/file-format';
import { statementCsvFormat } from '../../downloads/statement-csv';
import type { TextEncoding } from '../../downloads/text-encoding';
import { zenginStatementFormat } from '../../downloads/zengin-statement';
import type { RequestContext } from '../../graphql/context';
import { businessDate } from '../calendar/business-day';
import type { Account } from './account.entity';
import type { AccountService } from './account.service';
import { StatementDirection, StatementLine } from './statement-line.entity';

/** What a statement download asks for; the router has checked its form (dates, names). */
export interface StatementFileRequest {
  accountId: number;
  /** Business days (YYYY-MM-DD, Asia/Tokyo), both inclusive, from ≤ to. */
  from: string;
  to: string;
  format: 'csv' | 'zengin';
  encoding: TextEncoding;
}

/**
 * 入出金明細 as a file for accounting software: the account rule of the statement query
 * (AccountService.inquiryAccount), audited, the lines of the period read a page at a time
 * while the file is written, oldest first.
 */
export class StatementFileService {
  /**
   * An account's lines of a period (business days, both inclusive), by day and, within a day, as
   * booked: as a bank's statement lists them, and read from the index that starts with the day
   * (lines are booked on the business day of their booking, so this is the order of their ids).
   */
  private readonly linesOfPeriod: PreparedPages<StatementLine>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly accounts: AccountService,
    private readonly bank: BankOfRecord,
  ) {
    this.linesOfPeriod = new PreparedPages(
      db,
      StatementLine,
      (line) => `${line.column('accountId')} = ? AND ${line.column('businessDate')} <= ?`,
      ['businessDate', 'id'],
    );
  }

  async statementFile(ctx: RequestContext, request: StatementFileRequest): Promise<DownloadFile<StatementLine>> {
    const { from, to, format, encoding } = request;
    const account = await this.accounts.inquiryAccount(ctx, request.accountId);
    const fileFormat =
      format === 'csv'
        ? statementCsvFormat(encoding)
        : zenginStatementFormat({
            bank: this.bank,
            branchKana: this.bank.branchKana(account.branchCode),
            account,
            createdOn: businessDate(this.clock.now()),
            from,
            to,
            openingBalance: await this.balanceAtStartOf(account, from),
          });
    await this.db.transaction((m) =>
      this.audit.record(m, auditActor(ctx), {
        action: AuditAction.STATEMENT_DOWNLOADED,
        target: { type: 'Account', id: account.id },
        detail: { from, to, format, encoding },
      }),
    );
    return {
      fileName: `statement-${account.accountNumber}-${from.replaceAll('-', '')}-${to.replaceAll('-', '')}.${format === 'csv' ? 'csv' : 'txt'}`,
      format: fileFormat,
      // From `from` on: read as after a line on that day numbered 0 (ids start at 1), the keyset
      // then the only lower bound (PreparedPages.read).
      pages: this.linesOfPeriod.read([account.id, to], [from, 0]),
    };
  }

  /**
   * The balance before the first movement on or after `day` (the 取引前残高 of a period starting
   * then): read back from that movement, whose balance after is kept with it; with no movement
   * since, the balance now.
   */
  private async balanceAtStartOf(account: Account, day: string): Promise<number> {
    const first = await this.db.manager.findOne(StatementLine, {
      where: { accountId: account.id, businessDate: MoreThanOrEqual(day) },
      order: { businessDate: 'ASC', id: 'ASC' },
    });
    if (!first) return account.balance;
    return first.balanceAfter + (first.direction === StatementDirection.DEBIT ? first.amount : -first.amount);
  }
}
