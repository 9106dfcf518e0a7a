import { AuditAction } from '../audit/audit-action';
import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { callerContractId, callerIdentity, callerUser } from '../auth/caller';
import { Permission, User } from '../users/user.entity';
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
import { auditActor } from '../audit/audit-actor';
import { Contract } from '../contract/contract.entity';
import { Account, UserAccount } from './account.entity';
import type { CreateTransferInput, TransfersArgs } from './banking.types';
import { businessDate } from './business-day';
import { checkedIdempotencyKey, IDEMPOTENCY_KEY_INDEX, requestHash, type IdempotencyKeys, type KeyedRequest } from './idempotency';
import type { IdempotencyKey } from './idempotency-key.entity';
import { dailyLimitsOf, type LimitService } from './limit.service';
import { normalizePayeeName } from './payee-name';
import { StatementDirection, StatementLine } from './statement-line.entity';
import { Transfer, TransferStatus } from './transfer.entity';

/**
 * R5 and DESIGN.md §6.3: transfers under per-transfer, per-day user and per-day contract
 * limits, maker-checker approval, all or nothing. Limits and balances move only by
 * conditional updates inside one transaction per transfer.
 */
export class TransferService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly limits: LimitService,
    private readonly idempotency: IdempotencyKeys,
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
    if (input.amount > current.transferLimitPerTransaction) {
      throw new DomainError(
        ErrorCode.LIMIT_EXCEEDED,
        `This transfer exceeds your per-transfer limit of ${yenText(current.transferLimitPerTransaction)}.`,
        { limit: LimitKind.PER_TRANSFER, limitAmount: current.transferLimitPerTransaction, remaining: current.transferLimitPerTransaction },
      );
    }
    await this.confirmation.confirm(ctx, confirmationPassword);

    const now = this.clock.now();
    const day = businessDate(now);
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
            businessDate: day,
            status: TransferStatus.PENDING_APPROVAL,
            createdAt: now,
            decidedAt: null,
            rejectionReason: null,
          }),
        );
        // The key first: a concurrent request with the same key stops here, before it reserves anything.
        if (keyed && lookup) await this.idempotency.claim(m, keyed, lookup, { transferId: transfer.id });
        const [userDaily, contractDaily] = dailyLimitsOf({ makerUserId: user.id, contractId: contract.id });
        await this.limits.reserve(
          m,
          [
            { ...userDaily, limit: current.dailyTransferLimit },
            { ...contractDaily, limit: contract.dailyTransferLimit },
          ],
          day,
          input.amount,
        );
        await this.audit.record(m, auditActor(ctx), {
          action: AuditAction.TRANSFER_CREATED,
          target: { type: 'Transfer', id: transfer.id },
          detail: {
            amount: input.amount,
            accountId: account.id,
            requiresApproval: contract.requiresApproval,
            ...(key ? { idempotencyKey: key } : {}),
          },
        });
        if (contract.requiresApproval) {
          // Funds are checked now as a courtesy and again, atomically, when it executes.
          if (account.balance < input.amount) throw insufficientFunds();
          return transfer;
        }
        return this.execute(m, ctx, transfer);
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

  /** Debits the account and writes the statement line; the whole transaction fails if funds are short. */
  private async execute(m: EntityManager, ctx: RequestContext, transfer: Transfer): Promise<Transfer> {
    const debited = await moveCounters(m, Account, { match: { id: transfer.accountId } }, [
      { column: 'balance', by: -transfer.amount, min: 0 },
    ]);
    if (!debited) throw insufficientFunds();
    const account = await m.findOneByOrFail(Account, { id: transfer.accountId });
    const now = this.clock.now();
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
    const executed = await m.update(
      Transfer,
      { id: transfer.id, status: TransferStatus.PENDING_APPROVAL },
      { status: TransferStatus.EXECUTED, decidedAt: now },
    );
    if (!executed.affected) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This transfer is no longer waiting for approval.');
    await this.audit.record(m, auditActor(ctx), {
      action: AuditAction.TRANSFER_EXECUTED,
      target: { type: 'Transfer', id: transfer.id },
      detail: { amount: transfer.amount, balanceAfter: account.balance },
    });
    return m.findOneByOrFail(Transfer, { id: transfer.id });
  }

  /** A pending transfer of the approver's contract, checked for maker ≠ checker on user and certificate. */
  private async pendingForApprover(ctx: RequestContext, transferId: number): Promise<Transfer> {
    const { user, certificate } = callerIdentity(ctx);
    const transfer = await this.db.manager.findOneBy(Transfer, { id: transferId, contractId: callerContractId(ctx) });
    if (!transfer) throw new DomainError(ErrorCode.FORBIDDEN, 'There is no such transfer in your contract.');
    if (transfer.status !== TransferStatus.PENDING_APPROVAL) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, `This transfer is not waiting for approval (it is ${transfer.status}).`);
    }
    if (transfer.makerUserId === user.id || transfer.makerCertificateFingerprint === certificate.fingerprint) {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'The maker of a transfer cannot approve or reject it; another user must (maker ≠ checker).',
      );
    }
    return transfer;
  }

  async approveTransfer(ctx: RequestContext, transferId: number, confirmationPassword: string): Promise<Transfer> {
    const pending = await this.pendingForApprover(ctx, transferId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      await m.update(
        Transfer,
        { id: pending.id },
        { approverUserId: callerUser(ctx).id, approverCertificateFingerprint: callerIdentity(ctx).certificate.fingerprint },
      );
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.TRANSFER_APPROVED,
        target: { type: 'Transfer', id: pending.id },
        detail: { amount: pending.amount },
      });
      return this.execute(m, ctx, pending);
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
          approverUserId: callerUser(ctx).id,
          approverCertificateFingerprint: callerIdentity(ctx).certificate.fingerprint,
        },
      );
      if (!rejected.affected) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This transfer is no longer waiting for approval.');
      await this.limits.release(m, dailyLimitsOf(pending), pending.businessDate, pending.amount);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.TRANSFER_REJECTED,
        target: { type: 'Transfer', id: pending.id },
        detail: { amount: pending.amount, reason },
      });
      return m.findOneByOrFail(Transfer, { id: pending.id });
    });
  }

  /** Which transfers the caller may see: their contract's; a maker without TRANSFER_APPROVAL only their own. */
  private visibleTransfers(ctx: RequestContext): FindOptionsWhere<Transfer> {
    const user = callerUser(ctx);
    const where: FindOptionsWhere<Transfer> = { contractId: callerContractId(ctx) };
    if (!user.permissions.includes(Permission.TRANSFER_APPROVAL)) where.makerUserId = user.id;
    return where;
  }

  /** The contract's transfers, newest first. Makers see their own; approvers see all of the contract's. */
  async transfers(ctx: RequestContext, given: TransfersArgs): Promise<{ items: Transfer[]; nextCursor: number | null }> {
    const args = absentIfNull(given);
    const where: FindOptionsWhere<Transfer> = { ...this.visibleTransfers(ctx), ...olderThan(args) };
    if (args.status !== undefined) where.status = args.status;
    const rows = await this.db.manager.find(Transfer, { where, order: { id: 'DESC' }, take: args.first + 1 });
    return pageOf(rows, args.first);
  }

  /** One transfer, under the same rule as the list; any other id (another maker's, another contract's) is NOT_FOUND alike. */
  async transfer(ctx: RequestContext, id: number): Promise<Transfer> {
    const transfer = await this.db.manager.findOneBy(Transfer, { ...this.visibleTransfers(ctx), id });
    if (!transfer) throw new DomainError(ErrorCode.NOT_FOUND, `There is no transfer ${id} among yours.`, { field: 'id' });
    return transfer;
  }
}

/** Says nothing of the balance itself: the maker may lack ACCOUNT_INQUIRY (DESIGN.md §6.6). */
function insufficientFunds(): DomainError {
  return new DomainError(ErrorCode.INSUFFICIENT_FUNDS, 'The account balance is not enough for this transfer.');
}
