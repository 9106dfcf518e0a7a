import { transfersVisibleTo } from './visibility';
import crypto from 'node:crypto';
import { LessThanOrEqual, type EntityManager, type FindOptionsWhere, type ObjectLiteral, type EntityTarget } from 'typeorm';
import { AuditAction } from '../audit/audit-action';
import { auditActor, systemActor } from '../audit/audit-actor';
import { AuditOutcome } from '../audit/audit-event.entity';
import type { AuditActor, AuditService } from '../audit/audit.service';
import { callerContractId, callerIdentity } from '../auth/caller';
import type { ConfirmationService } from '../auth/confirmation.service';
import { absentIfNull } from '../common/arguments';
import type { Clock } from '../common/clock';
import { DomainError, ErrorCode, LimitKind } from '../common/domain-error';
import { yenText } from '../common/money';
import { olderThan, pageOf } from '../common/pagination';
import { Contract, ContractStatus } from '../contract/contract.entity';
import { moveCounters } from '../db/counters';
import { isUniqueViolationOf, type Database } from '../db/database';
import { readInPages } from '../db/paged-read';
import type { DownloadFile } from '../downloads/file-format';
import type { RequestContext } from '../graphql/context';
import { User } from '../users/user.entity';
import { Account } from './account.entity';
import { isBankBusinessDay, type BankDate } from './bank-calendar';
import type { BankDays } from './bank-days';
import { bulkTransferResultFormat } from './bulk-transfer-result';
import { BulkTransfer, BulkTransferLine, BulkTransferSource, BulkTransferStatus } from './bulk-transfer.entity';
import type { BulkTransfersArgs } from './bulk-transfer.types';
import { businessDate } from './business-day';
import { checkedIdempotencyKey, IDEMPOTENCY_KEY_INDEX, requestHash, type IdempotencyKeys, type KeyedRequest } from './idempotency';
import type { IdempotencyKey } from './idempotency-key.entity';
import { dailyLimitsOf, type LimitService } from './limit.service';
import { normalizePayeeName } from './payee-name';
import { StatementDirection, StatementLine } from './statement-line.entity';
import {
  assertNotTheMaker,
  checkerColumns,
  dailyLimitsFor,
  insufficientFunds,
  reachableExecutionDate,
  type TransferService,
} from './transfer.service';
import {
  parseZenginTransferFile,
  validateTransferLines,
  type TransferLineInput,
  type ZenginProblem,
  type ZenginTransferLine,
} from './zengin';

/**
 * Rows per multi-row INSERT. SQLite binds at most 32,766 parameters per statement (a statement
 * line has 9 columns, a bulk line 13) and MySQL/MariaDB take a statement up to max_allowed_packet
 * (16 MB by default on MariaDB, 64 MB on MySQL 8; 1,000 rows are well under 1 MB).
 */
const ROWS_PER_INSERT = 1000;

/** What both ways in (a Zengin file, JSON lines) hand over once their lines are checked. */
interface BulkRequest {
  operation: 'importBulkTransfer' | 'createBulkTransfer';
  source: BulkTransferSource;
  fromAccountId: number;
  lines: ZenginTransferLine[];
  total: number;
  requesterName: string | null;
  /** The day asked for (the file's 振込指定日, or transferDate), if any. */
  requestedDate: BankDate | null;
}

/** A bulk transfer refused for what it holds: every problem by record (or line) and field, nothing changed. */
function refusedLines(field: 'fileBase64' | 'lines', problems: ZenginProblem[], truncated: boolean): DomainError {
  const count = `${truncated ? 'more than ' : ''}${problems.length} problem${problems.length === 1 && !truncated ? '' : 's'}`;
  const what = field === 'fileBase64' ? `The file has ${count}` : `The lines have ${count}`;
  return new DomainError(ErrorCode.BAD_USER_INPUT, `${what}; nothing was done.`, { field, problems, truncated });
}

/** Strict base64 (standard alphabet, padding optional): a typo must not decode to other bytes. */
function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
  return Buffer.from(compact, 'base64');
}

/** MMDD (a Zengin header's 振込指定日, which has no year) as the date of that name nearest to `today`. */
function nearestDate(monthDay: string, today: BankDate): BankDate {
  const year = Number(today.slice(0, 4));
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  const candidates = [year - 1, year, year + 1]
    .map((y) => `${y}-${monthDay.slice(0, 2)}-${monthDay.slice(2)}`)
    .filter((date) => new Date(`${date}T00:00:00Z`).toISOString().startsWith(date)); // 29 February of a common year is no date
  return candidates.reduce((best, date) =>
    Math.abs(Date.parse(`${date}T00:00:00Z`) - todayMs) < Math.abs(Date.parse(`${best}T00:00:00Z`) - todayMs) ? date : best,
  );
}

/** The lines in a fixed order of fixed fields, for "the same request". */
function linesDigest(lines: readonly ZenginTransferLine[]): string {
  const canonical = lines.map((l) => [
    l.bankCode,
    l.branchCode,
    l.accountType,
    l.accountNumber,
    l.payeeName,
    l.amount,
    l.customerCode1 ?? null,
    l.customerCode2 ?? null,
    l.ediInfo ?? null,
  ]);
  return crypto.createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Multi-row INSERTs of at most ROWS_PER_INSERT rows, without reading anything back. */
async function insertInChunks<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: T[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await m
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .updateEntity(false)
      .execute();
  }
}

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
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly limits: LimitService,
    private readonly idempotency: IdempotencyKeys,
    private readonly bankDays: BankDays,
    private readonly transfers: TransferService,
    private readonly options: { maxLines: number },
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
    const requestedDate = nearestDate(header.transferDate, businessDate(this.clock.now()));
    const problem = this.requestedDateProblem(requestedDate);
    if (problem)
      throw refusedLines('fileBase64', [{ record: 1, field: 'transferDate', message: problem, value: header.transferDate }], false);
    const request: BulkRequest = {
      operation: 'importBulkTransfer',
      source: BulkTransferSource.ZENGIN_FILE,
      fromAccountId,
      lines,
      total,
      requesterName: header.requesterName,
      requestedDate,
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
    let requestedDate: BankDate | null = null;
    if (transferDate !== undefined && transferDate !== null) {
      const problem = /^\d{4}-\d{2}-\d{2}$/.test(transferDate) ? this.requestedDateProblem(transferDate) : 'It must be a date, YYYY-MM-DD.';
      if (problem) throw new DomainError(ErrorCode.BAD_USER_INPUT, `transferDate ${transferDate}: ${problem}`, { field: 'transferDate' });
      requestedDate = transferDate;
    }
    const request: BulkRequest = {
      operation: 'createBulkTransfer',
      source: BulkTransferSource.JSON,
      fromAccountId,
      lines: checked.lines,
      total: checked.total,
      requesterName: null,
      requestedDate,
    };
    return this.create(ctx, request, confirmationPassword, key);
  }

  /**
   * A day asked for that is later than the first day the bulk transfer could run must be a
   * business day (it will run on it); one that is not later runs on that first day instead (a
   * file for today sent after the cut-off runs tomorrow, like any transfer).
   */
  private requestedDateProblem(requested: BankDate): string | undefined {
    let open: boolean;
    try {
      open = isBankBusinessDay(requested);
    } catch {
      return 'It is not a date.';
    }
    const earliest = this.bankDays.executionDate(this.clock.now()).executionDate;
    if (requested <= earliest || open) return undefined;
    return `${requested} is not a bank business day (a weekend, a national holiday or 12/31–1/3); choose a business day.`;
  }

  private async create(
    ctx: RequestContext,
    request: BulkRequest,
    confirmationPassword: string,
    key: string | undefined,
  ): Promise<BulkTransfer> {
    const { user, certificate } = callerIdentity(ctx);
    const keyed: KeyedRequest | undefined =
      key === undefined
        ? undefined
        : {
            contractId: callerContractId(ctx),
            key,
            hash: requestHash(request.operation, [user.id, request.fromAccountId, request.requestedDate, linesDigest(request.lines)]),
          };
    // Before the password: a reused key costs no attempt toward the lock.
    const lookup = keyed && (await this.idempotency.lookUp(keyed));
    if (lookup?.kind === 'repeat') {
      await this.confirmation.confirm(ctx, confirmationPassword);
      return this.madeBy(lookup.row);
    }
    const account = await this.transfers.usableAccount(ctx, request.fromAccountId);
    const current = await this.db.manager.findOneByOrFail(User, { id: user.id });
    // Every line is a transfer under the maker's per-transfer limit; checked before the password.
    const over = request.lines.find((line) => line.amount > current.transferLimitPerTransaction);
    if (over) {
      const where = request.source === BulkTransferSource.ZENGIN_FILE ? `record ${over.record}` : `line ${over.record}`;
      throw new DomainError(
        ErrorCode.LIMIT_EXCEEDED,
        `The transfer of ${where} (${yenText(over.amount)}) exceeds your per-transfer limit of ${yenText(current.transferLimitPerTransaction)}; nothing was done.`,
        {
          limit: LimitKind.PER_TRANSFER,
          limitAmount: current.transferLimitPerTransaction,
          remaining: current.transferLimitPerTransaction,
          record: over.record,
        },
      );
    }
    await this.confirmation.confirm(ctx, confirmationPassword);

    const now = this.clock.now();
    const earliest = this.bankDays.executionDate(now).executionDate;
    const executionDate = request.requestedDate && request.requestedDate > earliest ? request.requestedDate : earliest;
    try {
      return await this.db.transaction(async (m) => {
        const contract = await m.findOneByOrFail(Contract, { id: account.contractId });
        const bulk = await m.save(
          m.create(BulkTransfer, {
            contractId: contract.id,
            accountId: account.id,
            makerUserId: user.id,
            makerCertificateFingerprint: certificate.fingerprint,
            approverUserId: null,
            approverCertificateFingerprint: null,
            source: request.source,
            requesterName: request.requesterName,
            requestedDate: request.requestedDate,
            lineCount: request.lines.length,
            totalAmount: request.total,
            businessDate: businessDate(now),
            executionDate,
            status: contract.requiresApproval ? BulkTransferStatus.PENDING_APPROVAL : BulkTransferStatus.SCHEDULED,
            createdAt: now,
            decidedAt: null,
            executedAt: null,
            rejectionReason: null,
            failureCode: null,
          }),
        );
        if (keyed && lookup) await this.idempotency.claim(m, keyed, lookup, { bulkTransferId: bulk.id });
        // The total, against both daily limits of the execution date, in one go: the whole file or nothing.
        await this.limits.reserve(m, dailyLimitsFor(current, contract), executionDate, request.total);
        await insertInChunks(
          m,
          BulkTransferLine,
          request.lines.map((line, index) => ({
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
          })) as BulkTransferLine[],
        );
        await this.audit.record(m, auditActor(ctx), {
          action: AuditAction.BULK_TRANSFER_CREATED,
          target: { type: 'BulkTransfer', id: bulk.id },
          detail: {
            source: request.source,
            lineCount: request.lines.length,
            totalAmount: request.total,
            accountId: account.id,
            executionDate,
            requiresApproval: contract.requiresApproval,
            ...(key ? { idempotencyKey: key } : {}),
          },
        });
        if (!this.bankDays.isDue(executionDate, now)) return bulk;
        if (contract.requiresApproval) {
          // Funds are checked now as a courtesy and again, atomically, when it executes.
          if (account.balance < request.total) throw insufficientFunds();
          return bulk;
        }
        return (await this.execute(m, auditActor(ctx), bulk, 'refuse'))!;
      });
    } catch (error) {
      if (keyed && isUniqueViolationOf(error, IDEMPOTENCY_KEY_INDEX)) {
        const winner = await this.idempotency.lookUp(keyed);
        if (winner.kind === 'repeat') return this.madeBy(winner.row);
      }
      throw error;
    }
  }

  private madeBy(key: IdempotencyKey): Promise<BulkTransfer> {
    if (key.bulkTransferId === null) {
      // The key made a single transfer: another operation, so another request.
      throw new DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was used for a different request.', {
        field: 'idempotencyKey',
      });
    }
    return this.db.manager.findOneByOrFail(BulkTransfer, { id: key.bulkTransferId });
  }

  /**
   * Runs a SCHEDULED bulk transfer now, all lines in the caller's transaction: claimed by a
   * conditional UPDATE (exactly once across instances), the account debited once by the total
   * (conditionally: never below zero), then one statement line per line, written in multi-row
   * INSERTs, each with the balance after it. Null: another instance ran it.
   */
  private async execute(
    m: EntityManager,
    actor: AuditActor,
    bulk: BulkTransfer,
    onShortfall: 'refuse' | 'fail',
  ): Promise<BulkTransfer | null> {
    const now = this.clock.now();
    const claimed = await m.update(
      BulkTransfer,
      { id: bulk.id, status: BulkTransferStatus.SCHEDULED },
      { status: BulkTransferStatus.EXECUTED, executedAt: now, decidedAt: bulk.decidedAt ?? now },
    );
    if (!claimed.affected) return null;
    const debited = await moveCounters(m, Account, { match: { id: bulk.accountId } }, [
      { column: 'balance', by: -bulk.totalAmount, min: 0 },
    ]);
    if (!debited) {
      if (onShortfall === 'refuse') throw insufficientFunds();
      return this.fail(m, actor, bulk, ErrorCode.INSUFFICIENT_FUNDS);
    }
    const account = await m.findOneByOrFail(Account, { id: bulk.accountId });
    const lines = await m.find(BulkTransferLine, {
      select: { lineNumber: true, amount: true, payeeName: true },
      where: { bulkTransferId: bulk.id },
      order: { lineNumber: 'ASC' },
    });
    // The balance after each line, in order, down to the balance the debit left.
    let balanceAfter = account.balance + bulk.totalAmount;
    const day = businessDate(now);
    const statementLines = lines.map((line) => {
      balanceAfter -= line.amount;
      return {
        accountId: account.id,
        occurredAt: now,
        businessDate: day,
        direction: StatementDirection.DEBIT,
        amount: line.amount,
        balanceAfter,
        description: `総合振込 ${line.payeeName}`.slice(0, 100),
        transferId: null,
        bulkTransferId: bulk.id,
      };
    });
    await insertInChunks(m, StatementLine, statementLines as StatementLine[]);
    await this.audit.record(m, actor, {
      action: AuditAction.BULK_TRANSFER_EXECUTED,
      contractId: bulk.contractId,
      target: { type: 'BulkTransfer', id: bulk.id },
      detail: {
        lineCount: bulk.lineCount,
        totalAmount: bulk.totalAmount,
        balanceAfter: account.balance,
        executionDate: bulk.executionDate,
      },
    });
    return m.findOneByOrFail(BulkTransfer, { id: bulk.id });
  }

  private async fail(m: EntityManager, actor: AuditActor, bulk: BulkTransfer, failureCode: ErrorCode): Promise<BulkTransfer> {
    await m.update(BulkTransfer, { id: bulk.id }, { status: BulkTransferStatus.FAILED, executedAt: null, failureCode });
    await this.limits.release(m, dailyLimitsOf(bulk), bulk.executionDate, bulk.totalAmount);
    await this.audit.record(m, actor, {
      action: AuditAction.BULK_TRANSFER_FAILED,
      outcome: AuditOutcome.FAILURE,
      contractId: bulk.contractId,
      target: { type: 'BulkTransfer', id: bulk.id },
      detail: { lineCount: bulk.lineCount, totalAmount: bulk.totalAmount, executionDate: bulk.executionDate, failureCode },
    });
    return m.findOneByOrFail(BulkTransfer, { id: bulk.id });
  }

  private async pendingForApprover(ctx: RequestContext, bulkTransferId: number): Promise<BulkTransfer> {
    const bulk = await this.db.manager.findOneBy(BulkTransfer, { id: bulkTransferId, contractId: callerContractId(ctx) });
    if (!bulk) {
      throw new DomainError(ErrorCode.NOT_FOUND, `There is no bulk transfer ${bulkTransferId} in your contract.`, {
        field: 'bulkTransferId',
      });
    }
    if (bulk.status !== BulkTransferStatus.PENDING_APPROVAL) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, `This bulk transfer is not waiting for approval (it is ${bulk.status}).`, {
        field: 'bulkTransferId',
      });
    }
    assertNotTheMaker(ctx, bulk, 'a bulk transfer');
    return bulk;
  }

  /** One approval for all the lines; executed at once when its day has come (moved, like a transfer, when approved late). */
  async approveBulkTransfer(ctx: RequestContext, bulkTransferId: number, confirmationPassword: string): Promise<BulkTransfer> {
    const pending = await this.pendingForApprover(ctx, bulkTransferId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      const executionDate = await reachableExecutionDate(m, this.limits, this.bankDays, pending, pending.totalAmount, now);
      const approved = await m.update(
        BulkTransfer,
        { id: pending.id, status: BulkTransferStatus.PENDING_APPROVAL },
        {
          status: BulkTransferStatus.SCHEDULED,
          executionDate,
          decidedAt: now,
          ...checkerColumns(ctx),
        },
      );
      if (!approved.affected) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This bulk transfer is no longer waiting for approval.');
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.BULK_TRANSFER_APPROVED,
        target: { type: 'BulkTransfer', id: pending.id },
        detail: { lineCount: pending.lineCount, totalAmount: pending.totalAmount, executionDate },
      });
      const bulk = await m.findOneByOrFail(BulkTransfer, { id: pending.id });
      if (!this.bankDays.isDue(executionDate, now)) return bulk;
      return (await this.execute(m, auditActor(ctx), bulk, 'refuse'))!;
    });
  }

  async rejectBulkTransfer(
    ctx: RequestContext,
    bulkTransferId: number,
    reason: string,
    confirmationPassword: string,
  ): Promise<BulkTransfer> {
    const pending = await this.pendingForApprover(ctx, bulkTransferId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      const rejected = await m.update(
        BulkTransfer,
        { id: pending.id, status: BulkTransferStatus.PENDING_APPROVAL },
        {
          status: BulkTransferStatus.REJECTED,
          decidedAt: this.clock.now(),
          rejectionReason: reason,
          ...checkerColumns(ctx),
        },
      );
      if (!rejected.affected) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This bulk transfer is no longer waiting for approval.');
      await this.limits.release(m, dailyLimitsOf(pending), pending.executionDate, pending.totalAmount);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.BULK_TRANSFER_REJECTED,
        target: { type: 'BulkTransfer', id: pending.id },
        detail: { lineCount: pending.lineCount, totalAmount: pending.totalAmount, reason },
      });
      return m.findOneByOrFail(BulkTransfer, { id: pending.id });
    });
  }

  /** SCHEDULED bulk transfers whose execution date has come, oldest first. */
  async dueBulkTransferIds(limit: number): Promise<number[]> {
    const rows = await this.db.manager.find(BulkTransfer, {
      select: { id: true },
      where: { status: BulkTransferStatus.SCHEDULED, executionDate: LessThanOrEqual(businessDate(this.clock.now())) },
      order: { id: 'ASC' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }

  /** The scheduled run of one due bulk transfer, in its own transaction (see TransferService.executeScheduled). */
  async executeScheduled(bulkTransferId: number): Promise<'executed' | 'failed' | 'taken'> {
    return this.db.transaction(async (m) => {
      const bulk = await m.findOneBy(BulkTransfer, { id: bulkTransferId });
      if (!bulk || bulk.status !== BulkTransferStatus.SCHEDULED) return 'taken';
      const actor = systemActor(bulk.contractId);
      const contract = await m.findOneByOrFail(Contract, { id: bulk.contractId });
      if (contract.status !== ContractStatus.ACTIVE) {
        const claimed = await m.update(
          BulkTransfer,
          { id: bulk.id, status: BulkTransferStatus.SCHEDULED },
          { status: BulkTransferStatus.FAILED },
        );
        if (!claimed.affected) return 'taken';
        await this.fail(m, actor, bulk, ErrorCode.CONTRACT_STOPPED);
        return 'failed';
      }
      const ran = await this.execute(m, actor, bulk, 'fail');
      if (!ran) return 'taken';
      return ran.status === BulkTransferStatus.EXECUTED ? 'executed' : 'failed';
    });
  }

  async bulkTransfers(ctx: RequestContext, given: BulkTransfersArgs): Promise<{ items: BulkTransfer[]; nextCursor: number | null }> {
    const args = absentIfNull(given);
    const where: FindOptionsWhere<BulkTransfer> = { ...transfersVisibleTo(ctx), ...olderThan(args) };
    if (args.status !== undefined) where.status = args.status;
    const rows = await this.db.manager.find(BulkTransfer, { where, order: { id: 'DESC' }, take: args.first + 1 });
    return pageOf(rows, args.first);
  }

  async bulkTransfer(ctx: RequestContext, id: number): Promise<BulkTransfer> {
    const bulk = await this.db.manager.findOneBy(BulkTransfer, { ...transfersVisibleTo(ctx), id });
    if (!bulk) throw new DomainError(ErrorCode.NOT_FOUND, `There is no bulk transfer ${id} among yours.`, { field: 'id' });
    return bulk;
  }

  /**
   * The result as a CSV file, every line with its outcome, for the download: who may see the
   * bulk transfer (transfersVisibleTo) may download it; the download is audited, and the lines are
   * read a page at a time while the file is written.
   */
  async resultFile(ctx: RequestContext, id: number): Promise<DownloadFile<BulkTransferLine>> {
    const bulk = await this.bulkTransfer(ctx, id);
    await this.db.transaction((m) =>
      this.audit.record(m, auditActor(ctx), {
        action: AuditAction.BULK_TRANSFER_RESULT_DOWNLOADED,
        target: { type: 'BulkTransfer', id: bulk.id },
        detail: { status: bulk.status, lineCount: bulk.lineCount },
      }),
    );
    return {
      fileName: `bulk-transfer-${bulk.id}-${bulk.status.toLowerCase()}.csv`,
      format: bulkTransferResultFormat(bulk),
      pages: readInPages(this.db.manager, BulkTransferLine, { bulkTransferId: bulk.id }, 'lineNumber'),
    };
  }
}
