import { transfersVisibleTo } from './visibility';
import { AuditAction } from '../audit/audit-action';
import { LessThanOrEqual, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { callerContractId, callerIdentity, callerUser } from '../auth/caller';
import { User } from '../users/user.entity';
import type { AuditService } from '../audit/audit.service';
import type { ConfirmationService } from '../auth/confirmation.service';
import type { Clock } from '../common/clock';
import { absentIfNull } from '../common/arguments';
import { DomainError, ErrorCode, LimitKind } from '../common/domain-error';
import { yenText } from '../common/money';
import { olderThan, pageOf } from '../common/pagination';
import { moveCounters } from '../db/counters';
import { isUniqueViolationOf, type Database } from '../db/database';
import { type RequestContext } from '../graphql/context';
import { auditActor, systemActor } from '../audit/audit-actor';
import { AuditOutcome } from '../audit/audit-event.entity';
import type { AuditActor } from '../audit/audit.service';
import { Contract, ContractStatus } from '../contract/contract.entity';
import { Account, UserAccount } from './account.entity';
import type { CreateTransferInput, TransfersArgs } from './banking.types';
import { businessDate } from './business-day';
import { checkedIdempotencyKey, IDEMPOTENCY_KEY_INDEX, requestHash, type IdempotencyKeys, type KeyedRequest } from './idempotency';
import type { IdempotencyKey } from './idempotency-key.entity';
import type { BankDays } from './bank-days';
import { dailyLimitsOf, type DailyLimit, type LimitService } from './limit.service';
import { normalizePayeeName } from './payee-name';
import { StatementDirection, StatementLine } from './statement-line.entity';
import { Transfer, TransferStatus } from './transfer.entity';

/**
 * R5 and DESIGN.md §6.3: transfers under per-transfer, per-day user and per-day contract
 * limits, maker-checker approval, all or nothing. Limits and balances move only by
 * conditional updates inside one transaction per transfer.
 *
 * A transfer's life: PENDING_APPROVAL (when the contract requires approval) → SCHEDULED
 * (approved, or needing no approval) → EXECUTED on its execution date — at once when that is
 * today, else by the scheduled run (TransferScheduler) — or FAILED when the money is not there
 * on the day. Rejection (REJECTED) is possible while it waits for approval. Daily limits count
 * against the execution date, reserved when it is made and released when it is rejected or fails.
 */
export class TransferService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly limits: LimitService,
    private readonly idempotency: IdempotencyKeys,
    private readonly bankDays: BankDays,
  ) {}

  /** An account the user may work with (利用口座) in their own contract. */
  async usableAccount(ctx: RequestContext, accountId: number): Promise<Account> {
    const user = callerUser(ctx);
    const account = await this.db.manager.findOneBy(Account, { id: accountId, contractId: callerContractId(ctx) });
    const assigned = account && (await this.db.manager.existsBy(UserAccount, { userId: user.id, accountId }));
    if (!account || !assigned)
      throw new DomainError(ErrorCode.FORBIDDEN, 'This account is not one of your accounts (利用口座).', { field: 'accountId' });
    return account;
  }

  /**
   * Creates a transfer. With an idempotency key, a retry of the same request (same caller and
   * input, within 24 hours) answers the transfer the first one made, as it stands now, and changes
   * nothing; the same key with another request is IDEMPOTENCY_KEY_REUSED. The confirmation
   * password is checked on every request, a retry's too: a session alone never confirms a payment.
   */
  async createTransfer(
    ctx: RequestContext,
    input: CreateTransferInput,
    confirmationPassword: string,
    idempotencyKey?: string | null,
  ): Promise<Transfer> {
    const key = checkedIdempotencyKey(idempotencyKey);
    const { user, certificate } = callerIdentity(ctx);
    const payeeName = normalizePayeeName(input.payeeName);
    if (input.amount < 1) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The amount must be at least ¥1.', { field: 'amount' });
    const keyed: KeyedRequest | undefined =
      key === undefined
        ? undefined
        : {
            contractId: callerContractId(ctx),
            key,
            hash: requestHash('createTransfer', [
              user.id,
              input.fromAccountId,
              input.destinationBankCode,
              input.destinationBranchCode,
              input.destinationAccountType,
              input.destinationAccountNumber,
              payeeName,
              input.amount,
            ]),
          };
    // Before the password: a reused key costs no attempt toward the lock.
    const lookup = keyed && (await this.idempotency.lookUp(keyed));
    if (lookup?.kind === 'repeat') {
      await this.confirmation.confirm(ctx, confirmationPassword);
      return this.madeBy(lookup.row);
    }
    const account = await this.usableAccount(ctx, input.fromAccountId);
    // The user's limits are read fresh: an administrator may have just changed them. Checked
    // before the password, so a transfer that cannot go costs no attempt toward the lock.
    const current = await this.db.manager.findOneByOrFail(User, { id: user.id });
    assertWithinPerTransferLimit(current, input.amount);
    await this.confirmation.confirm(ctx, confirmationPassword);

    const now = this.clock.now();
    const { executionDate, scheduled } = this.bankDays.executionDate(now);
    try {
      return await this.db.transaction(async (m) => {
        const contract = await m.findOneByOrFail(Contract, { id: account.contractId });
        const transfer = await m.save(
          m.create(Transfer, {
            contractId: contract.id,
            accountId: account.id,
            makerUserId: user.id,
            makerCertificateFingerprint: certificate.fingerprint,
            approverUserId: null,
            approverCertificateFingerprint: null,
            destinationBankCode: input.destinationBankCode,
            destinationBranchCode: input.destinationBranchCode,
            destinationAccountType: input.destinationAccountType,
            destinationAccountNumber: input.destinationAccountNumber,
            payeeName,
            amount: input.amount,
            businessDate: businessDate(now),
            executionDate,
            status: contract.requiresApproval ? TransferStatus.PENDING_APPROVAL : TransferStatus.SCHEDULED,
            createdAt: now,
            decidedAt: null,
            rejectionReason: null,
            executedAt: null,
            failureCode: null,
          }),
        );
        // The key first: a concurrent request with the same key stops here, before it reserves anything.
        if (keyed && lookup) await this.idempotency.claim(m, keyed, lookup, { transferId: transfer.id });
        await this.limits.reserve(m, dailyLimitsFor(current, contract), executionDate, input.amount);
        await this.audit.record(m, auditActor(ctx), {
          action: AuditAction.TRANSFER_CREATED,
          target: { type: 'Transfer', id: transfer.id },
          detail: {
            amount: input.amount,
            accountId: account.id,
            requiresApproval: contract.requiresApproval,
            executionDate,
            ...(key ? { idempotencyKey: key } : {}),
          },
        });
        if (scheduled) return transfer;
        if (contract.requiresApproval) {
          // Funds are checked now as a courtesy and again, atomically, when it executes.
          if (account.balance < input.amount) throw insufficientFunds();
          return transfer;
        }
        return (await this.execute(m, auditActor(ctx), transfer, 'refuse'))!;
      });
    } catch (error) {
      // Lost a race to a concurrent request with the same key, which has committed: answer what it made.
      if (keyed && isUniqueViolationOf(error, IDEMPOTENCY_KEY_INDEX)) {
        const winner = await this.idempotency.lookUp(keyed);
        if (winner.kind === 'repeat') return this.madeBy(winner.row);
      }
      throw error;
    }
  }

  /** The transfer an earlier request with the same key made, as it stands now. */
  private madeBy(key: IdempotencyKey): Promise<Transfer> {
    return this.db.manager.findOneByOrFail(Transfer, { id: key.transferId! });
  }

  /**
   * Runs a SCHEDULED transfer now. It is claimed first, by one conditional UPDATE (SCHEDULED →
   * EXECUTED only where it is still SCHEDULED), so that two instances never both run it: the
   * other one's claim changes no row (on MySQL it waits for this transaction and then finds the
   * transfer executed). Then the account is debited, also conditionally, and the statement line
   * written, in the caller's transaction. Short of funds: a request (`refuse`) answers
   * INSUFFICIENT_FUNDS and its transaction rolls back; the scheduled run (`fail`) records the
   * transfer as FAILED and gives its reserved limits back. Null: another instance ran it.
   */
  private async execute(m: EntityManager, actor: AuditActor, transfer: Transfer, onShortfall: 'refuse' | 'fail'): Promise<Transfer | null> {
    const now = this.clock.now();
    const claimed = await m.update(
      Transfer,
      { id: transfer.id, status: TransferStatus.SCHEDULED },
      { status: TransferStatus.EXECUTED, executedAt: now, decidedAt: transfer.decidedAt ?? now },
    );
    if (!claimed.affected) return null;
    const debited = await moveCounters(m, Account, { match: { id: transfer.accountId } }, [
      { column: 'balance', by: -transfer.amount, min: 0 },
    ]);
    if (!debited) {
      if (onShortfall === 'refuse') throw insufficientFunds();
      return this.fail(m, actor, transfer, ErrorCode.INSUFFICIENT_FUNDS);
    }
    const account = await m.findOneByOrFail(Account, { id: transfer.accountId });
    await m.insert(StatementLine, {
      accountId: account.id,
      occurredAt: now,
      businessDate: businessDate(now),
      direction: StatementDirection.DEBIT,
      amount: transfer.amount,
      balanceAfter: account.balance,
      description: `振込 ${transfer.payeeName}`.slice(0, 100),
      transferId: transfer.id,
    });
    await this.audit.record(m, actor, {
      action: AuditAction.TRANSFER_EXECUTED,
      contractId: transfer.contractId,
      target: { type: 'Transfer', id: transfer.id },
      detail: { amount: transfer.amount, balanceAfter: account.balance, executionDate: transfer.executionDate },
    });
    return m.findOneByOrFail(Transfer, { id: transfer.id });
  }

  /** A claimed transfer that cannot run: FAILED with the reason, its limits given back, nothing moved. */
  private async fail(m: EntityManager, actor: AuditActor, transfer: Transfer, failureCode: ErrorCode): Promise<Transfer> {
    await m.update(Transfer, { id: transfer.id }, { status: TransferStatus.FAILED, executedAt: null, failureCode });
    await this.limits.release(m, dailyLimitsOf(transfer), transfer.executionDate, transfer.amount);
    await this.audit.record(m, actor, {
      action: AuditAction.TRANSFER_FAILED,
      outcome: AuditOutcome.FAILURE,
      contractId: transfer.contractId,
      target: { type: 'Transfer', id: transfer.id },
      detail: { amount: transfer.amount, executionDate: transfer.executionDate, failureCode },
    });
    return m.findOneByOrFail(Transfer, { id: transfer.id });
  }

  /** A pending transfer of the approver's contract, checked for maker ≠ checker on user and certificate. */
  private async pendingForApprover(ctx: RequestContext, transferId: number): Promise<Transfer> {
    const transfer = await this.db.manager.findOneBy(Transfer, { id: transferId, contractId: callerContractId(ctx) });
    if (!transfer) throw new DomainError(ErrorCode.FORBIDDEN, 'There is no such transfer in your contract.');
    if (transfer.status !== TransferStatus.PENDING_APPROVAL) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, `This transfer is not waiting for approval (it is ${transfer.status}).`);
    }
    assertNotTheMaker(ctx, transfer, 'a transfer');
    return transfer;
  }

  /**
   * Approves and, when its day has come, executes. An approval after the cut-off of the
   * transfer's execution date (or on a later day) moves it to the next day it can run on, and
   * its reserved limits with it: it counts against the day it actually runs (LIMIT_EXCEEDED, and
   * nothing changes, when that day has no room left).
   */
  async approveTransfer(ctx: RequestContext, transferId: number, confirmationPassword: string): Promise<Transfer> {
    const pending = await this.pendingForApprover(ctx, transferId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      const executionDate = await reachableExecutionDate(m, this.limits, this.bankDays, pending, pending.amount, now);
      const approved = await m.update(
        Transfer,
        { id: pending.id, status: TransferStatus.PENDING_APPROVAL },
        {
          status: TransferStatus.SCHEDULED,
          executionDate,
          decidedAt: now,
          ...checkerColumns(ctx),
        },
      );
      if (!approved.affected) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This transfer is no longer waiting for approval.');
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.TRANSFER_APPROVED,
        target: { type: 'Transfer', id: pending.id },
        detail: { amount: pending.amount, executionDate },
      });
      const transfer = await m.findOneByOrFail(Transfer, { id: pending.id });
      if (!this.bankDays.isDue(executionDate, now)) return transfer;
      return (await this.execute(m, auditActor(ctx), transfer, 'refuse'))!;
    });
  }

  async rejectTransfer(ctx: RequestContext, transferId: number, reason: string, confirmationPassword: string): Promise<Transfer> {
    const pending = await this.pendingForApprover(ctx, transferId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      const rejected = await m.update(
        Transfer,
        { id: pending.id, status: TransferStatus.PENDING_APPROVAL },
        {
          status: TransferStatus.REJECTED,
          decidedAt: this.clock.now(),
          rejectionReason: reason,
          ...checkerColumns(ctx),
        },
      );
      if (!rejected.affected) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This transfer is no longer waiting for approval.');
      await this.limits.release(m, dailyLimitsOf(pending), pending.executionDate, pending.amount);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.TRANSFER_REJECTED,
        target: { type: 'Transfer', id: pending.id },
        detail: { amount: pending.amount, reason },
      });
      return m.findOneByOrFail(Transfer, { id: pending.id });
    });
  }

  /** SCHEDULED transfers whose execution date has come, oldest first, at most `limit` of them. */
  async dueTransferIds(limit: number): Promise<number[]> {
    const rows = await this.db.manager.find(Transfer, {
      select: { id: true },
      where: { status: TransferStatus.SCHEDULED, executionDate: LessThanOrEqual(businessDate(this.clock.now())) },
      order: { id: 'ASC' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }

  /**
   * The scheduled run of one due transfer, in its own transaction: executed, FAILED (no funds, or
   * the contract stopped), or left alone when another instance has taken it.
   */
  async executeScheduled(transferId: number): Promise<'executed' | 'failed' | 'taken'> {
    return this.db.transaction(async (m) => {
      const transfer = await m.findOneBy(Transfer, { id: transferId });
      if (!transfer || transfer.status !== TransferStatus.SCHEDULED) return 'taken';
      const actor = systemActor(transfer.contractId);
      const contract = await m.findOneByOrFail(Contract, { id: transfer.contractId });
      if (contract.status !== ContractStatus.ACTIVE) {
        // Under an emergency stop nothing leaves the contract's accounts: the transfer fails (claimed first, as any run).
        const claimed = await m.update(Transfer, { id: transfer.id, status: TransferStatus.SCHEDULED }, { status: TransferStatus.FAILED });
        if (!claimed.affected) return 'taken';
        await this.fail(m, actor, transfer, ErrorCode.CONTRACT_STOPPED);
        return 'failed';
      }
      const ran = await this.execute(m, actor, transfer, 'fail');
      if (!ran) return 'taken';
      return ran.status === TransferStatus.EXECUTED ? 'executed' : 'failed';
    });
  }

  /** The contract's transfers, newest first. Makers see their own; approvers see all of the contract's. */
  async transfers(ctx: RequestContext, given: TransfersArgs): Promise<{ items: Transfer[]; nextCursor: number | null }> {
    const args = absentIfNull(given);
    const where: FindOptionsWhere<Transfer> = { ...transfersVisibleTo(ctx), ...olderThan(args) };
    if (args.status !== undefined) where.status = args.status;
    const rows = await this.db.manager.find(Transfer, { where, order: { id: 'DESC' }, take: args.first + 1 });
    return pageOf(rows, args.first);
  }

  /** One transfer, under the same rule as the list; any other id (another maker's, another contract's) is NOT_FOUND alike. */
  async transfer(ctx: RequestContext, id: number): Promise<Transfer> {
    const transfer = await this.db.manager.findOneBy(Transfer, { ...transfersVisibleTo(ctx), id });
    if (!transfer) throw new DomainError(ErrorCode.NOT_FOUND, `There is no transfer ${id} among yours.`, { field: 'id' });
    return transfer;
  }
}

/** Maker ≠ checker, on the user and on the certificate: nobody approves or rejects their own work, from any session. */
export function assertNotTheMaker(
  ctx: RequestContext,
  made: { makerUserId: number; makerCertificateFingerprint: string },
  what: string,
): void {
  const { user, certificate } = callerIdentity(ctx);
  if (made.makerUserId === user.id || made.makerCertificateFingerprint === certificate.fingerprint) {
    throw new DomainError(ErrorCode.FORBIDDEN, `The maker of ${what} cannot approve or reject it; another user must (maker ≠ checker).`);
  }
}

/** Who decided (approved or rejected), by user and by certificate, as the decision records it. */
export function checkerColumns(ctx: RequestContext): { approverUserId: number; approverCertificateFingerprint: string } {
  const { user, certificate } = callerIdentity(ctx);
  return { approverUserId: user.id, approverCertificateFingerprint: certificate.fingerprint };
}

/**
 * The execution date of something waiting for approval, or — approved after that day's cut-off —
 * the first day it can still run on, with its reserved limits moved there (under the limits as
 * they are now), so that it counts against the day it actually runs.
 */
export async function reachableExecutionDate(
  m: EntityManager,
  limits: LimitService,
  bankDays: BankDays,
  made: { executionDate: string; makerUserId: number; contractId: number },
  amount: number,
  now: Date,
): Promise<string> {
  const earliest = bankDays.executionDate(now).executionDate;
  if (made.executionDate >= earliest) return made.executionDate;
  const maker = await m.findOneByOrFail(User, { id: made.makerUserId });
  const contract = await m.findOneByOrFail(Contract, { id: made.contractId });
  await limits.release(m, dailyLimitsOf(made), made.executionDate, amount);
  await limits.reserve(m, dailyLimitsFor(maker, contract), earliest, amount);
  return earliest;
}

/** The per-transfer limit (利用限度額 per transfer) of the maker, read fresh. */
export function assertWithinPerTransferLimit(maker: User, amount: number, extra: Record<string, unknown> = {}): void {
  if (amount <= maker.transferLimitPerTransaction) return;
  throw new DomainError(
    ErrorCode.LIMIT_EXCEEDED,
    `This transfer exceeds your per-transfer limit of ${yenText(maker.transferLimitPerTransaction)}.`,
    {
      limit: LimitKind.PER_TRANSFER,
      limitAmount: maker.transferLimitPerTransaction,
      remaining: maker.transferLimitPerTransaction,
      ...extra,
    },
  );
}

/** The maker's and the contract's daily limits, with their current amounts, to reserve against. */
export function dailyLimitsFor(maker: User, contract: Contract): Array<DailyLimit & { limit: number }> {
  const [userDaily, contractDaily] = dailyLimitsOf({ makerUserId: maker.id, contractId: contract.id });
  return [
    { ...userDaily, limit: maker.dailyTransferLimit },
    { ...contractDaily, limit: contract.dailyTransferLimit },
  ];
}

/** Says nothing of the balance itself: the maker may lack ACCOUNT_INQUIRY (DESIGN.md §6.6). */
export function insufficientFunds(): DomainError {
  return new DomainError(ErrorCode.INSUFFICIENT_FUNDS, 'The account balance is not enough for this transfer.');
}
