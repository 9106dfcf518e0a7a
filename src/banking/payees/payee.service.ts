import type { EntityManager } from 'typeorm';
import { AuditAction } from '../../audit/audit-action';
import { auditActor } from '../../audit/audit-actor';
import type { AuditService } from '../../audit/audit.service';
import { callerContractId } from '../../auth/caller';
import { absentIfNull } from '../../common/arguments';
import type { Clock } from '../../common/clock';
import { DomainError, ErrorCode, PasskeyRefusal } from '../../common/domain-error';
import { changeBinding, type BoundChange } from '../../auth/passkeys/change-binding';
import type { ChangePasskeys } from '../../auth/passkeys/change-passkeys';
import { passkeyRefused } from '../../auth/passkeys/passkey-errors';
import type { IssuedChallenge } from '../../auth/passkeys/passkey.service';
import { boundedText } from '../../common/validation';
import type { Database } from '../../db/database';
import type { RequestContext } from '../../graphql/context';
import { AccountType } from '../accounts/account.entity';
import { normalizePayeeName, recordedForm } from '../payee-name';
import { checkedPayeeAccount } from './payee-destination';
import { Payee } from './payee.entity';
import type { CreatePayeeInput, PayeesArgs, UpdatePayeeInput } from './payee.types';
import { extend } from '../../common/extend';

/** The columns that make a payee, as the bank records them. */
type PayeeFields = Pick<Payee, 'nickname' | 'bankCode' | 'branchCode' | 'accountType' | 'accountNumber' | 'payeeName'>;

const ACCOUNT_TYPES: ReadonlySet<string> = new Set(Object.values(AccountType));

/** NOT_FOUND alike for an unknown id and another contract's. */
function payeeNotFound(id: number, field: string): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, `There is no payee ${id} registered for your contract.`, { field });
}

/**
 * 振込先登録: the payees of a contract, registered, changed and deleted by users with
 * PAYEE_MANAGEMENT (each audited in its transaction, with what changed), listed to those who
 * make transfers, and read by createTransfer to copy a payee's account into a new transfer.
 * Every payee is checked as a transfer's destination is: the bank and branch in the directory,
 * seven digits, and the name by the one payee-name rule.
 */
export class PayeeService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly changePasskeys: ChangePasskeys,
  ) {}

  /** The contract's payees in the order registered, optionally those whose nickname, 受取人名 or account number match `search`. */
  async payees(ctx: RequestContext, given: PayeesArgs): Promise<{ items: Payee[]; nextCursor: number | null }> {
    const args = absentIfNull(given);
    const query = this.db.manager
      .createQueryBuilder(Payee, 'p')
      .where('p.contractId = :contractId', { contractId: callerContractId(ctx) })
      .orderBy('p.id', 'ASC')
      .take(args.first + 1);
    if (args.after !== undefined) query.andWhere('p.id > :after', { after: args.after });
    const search = args.search?.trim();
    if (search) {
      // INSTR, not LIKE: a % or _ typed in the box is a character, on SQLite and MySQL alike.
      query.andWhere('(INSTR(p.nickname, :search) > 0 OR INSTR(p.payeeName, :kana) > 0 OR p.accountNumber = :search)', {
        search,
        kana: recordedForm(search),
      });
    }
    const rows = await query.getMany();
    const items = rows.slice(0, args.first);
    return { items, nextCursor: rows.length > args.first ? items[items.length - 1].id : null };
  }

  /** The payee `id` of the caller's contract, or NOT_FOUND naming `field` (createTransfer's payeeId). */
  async payee(ctx: RequestContext, id: number, field = 'payeeId', manager: EntityManager = this.db.manager): Promise<Payee> {
    const payee = await manager.findOneBy(Payee, { id, contractId: callerContractId(ctx) });
    if (!payee) throw payeeNotFound(id, field);
    return payee;
  }

  /**
   * 取引認証: the passkey challenge for registering this payee (payeeId null) or for changing payee
   * `payeeId` so — bound to the destination as it would be stored (the nickname is not bound).
   */
  async beginPayeeChange(
    ctx: RequestContext,
    payeeId: number | null,
    input: CreatePayeeInput | UpdatePayeeInput,
  ): Promise<IssuedChallenge & { binding: string }> {
    const before = payeeId === null ? null : fieldsOf(await this.payee(ctx, payeeId));
    const fields = checkedPayee({ ...(before ?? {}), ...absentIfNull(input) } as PayeeFields);
    return this.changePasskeys.begin(ctx, payeeChange(ctx, payeeId, fields));
  }

  async createPayee(ctx: RequestContext, input: CreatePayeeInput, passkeyAssertion: string | null = null): Promise<Payee> {
    const contractId = callerContractId(ctx);
    const fields = checkedPayee(input);
    const change = payeeChange(ctx, null, fields);
    await this.changePasskeys.requireIfDue(ctx, change, passkeyAssertion);
    await this.changePasskeys.verifyIfGiven(ctx, change, passkeyAssertion);
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      const payee = await m.save(m.create(Payee, extend(fields, { contractId, createdAt: now, updatedAt: now })));
      await this.record(m, ctx, AuditAction.PAYEE_CREATED, payee, { payee: fields });
      return payee;
    });
  }

  async updatePayee(ctx: RequestContext, id: number, input: UpdatePayeeInput, passkeyAssertion: string | null = null): Promise<Payee> {
    const change = absentIfNull(input);
    // A changed destination is a new payee in all but name: it takes 取引認証 as registering one does.
    const stored = fieldsOf(await this.payee(ctx, id));
    const wanted = checkedPayee({ ...stored, ...change });
    const bound = payeeChange(ctx, id, wanted);
    if (!sameDestination(stored, wanted)) await this.changePasskeys.requireIfDue(ctx, bound, passkeyAssertion);
    const verified = await this.changePasskeys.verifyIfGiven(ctx, bound, passkeyAssertion);
    return this.db.transaction(async (m) => {
      const before = await this.payee(ctx, id, 'payeeId', m);
      const fields = checkedPayee({ ...fieldsOf(before), ...change });
      // Changed by someone else since the check: what was confirmed is not what would be stored.
      if (verified && changeBinding(payeeChange(ctx, id, fields)) !== verified.binding) throw passkeyRefused(PasskeyRefusal.ORDER_CHANGED);
      await m.update(Payee, { id }, extend(fields, { updatedAt: this.clock.now() }));
      const after = await m.findOneByOrFail(Payee, { id });
      await this.record(m, ctx, AuditAction.PAYEE_CHANGED, after, { from: fieldsOf(before), to: fields });
      return after;
    });
  }

  /** Deletes the payee; transfers made from it keep their copy of its account. Answers the payee as it was. */
  async deletePayee(ctx: RequestContext, id: number): Promise<Payee> {
    return this.db.transaction(async (m) => {
      const payee = await this.payee(ctx, id, 'payeeId', m);
      await m.delete(Payee, { id });
      await this.record(m, ctx, AuditAction.PAYEE_DELETED, payee, { payee: fieldsOf(payee) });
      return payee;
    });
  }

  private record(m: EntityManager, ctx: RequestContext, action: AuditAction, payee: Payee, detail: Record<string, unknown>) {
    return this.audit.record(m, auditActor(ctx), { action, target: { type: 'Payee', id: payee.id }, detail });
  }
}

function payeeChange(ctx: RequestContext, payeeId: number | null, fields: PayeeFields): BoundChange {
  const { bankCode, branchCode, accountType, accountNumber, payeeName } = fields;
  return {
    kind: 'PAYEE',
    contractId: callerContractId(ctx),
    payeeId,
    destination: { bankCode, branchCode, accountType, accountNumber, payeeName },
  };
}

function sameDestination(a: PayeeFields, b: PayeeFields): boolean {
  return (
    a.bankCode === b.bankCode &&
    a.branchCode === b.branchCode &&
    a.accountType === b.accountType &&
    a.accountNumber === b.accountNumber &&
    a.payeeName === b.payeeName
  );
}

function fieldsOf(payee: Payee): PayeeFields {
  const { nickname, bankCode, branchCode, accountType, accountNumber, payeeName } = payee;
  return { nickname, bankCode, branchCode, accountType, accountNumber, payeeName };
}

/** A payee as the bank records it, or BAD_USER_INPUT naming the first field that is wrong. */
function checkedPayee(input: PayeeFields): PayeeFields {
  const nickname = boundedText(input.nickname, 'nickname', 1, 30);
  checkedPayeeAccount(input);
  if (!ACCOUNT_TYPES.has(input.accountType)) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The account type must be ORDINARY, CURRENT or SAVINGS.', { field: 'accountType' });
  }
  return {
    nickname,
    bankCode: input.bankCode,
    branchCode: input.branchCode,
    accountType: input.accountType,
    accountNumber: input.accountNumber,
    payeeName: normalizePayeeName(input.payeeName),
  };
}
