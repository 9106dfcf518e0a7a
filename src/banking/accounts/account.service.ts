import type { FindOptionsWhere } from 'typeorm';
import { callerContractId, callerUser } from '../../auth/caller';
import { Role } from '../../users/user.entity';
import { absentIfNull } from '../../common/arguments';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { olderThan, pageOf, withinRange } from '../../common/pagination';
import type { Database } from '../../db/database';
import type { EntityColumns, PreparedSelect } from '../../db/prepared-read';
import type { RequestContext } from '../../graphql/context';
import { Account, UserAccount } from './account.entity';
import type { StatementArgs } from './account.types';
import { StatementLine } from './statement-line.entity';
import { extend } from '../../common/extend';

/** Balances and statements (残高照会・入出金明細) of the accounts a user may use. */
export class AccountService {
  private readonly ofContract: PreparedSelect<readonly [EntityColumns<Account>]>;
  private readonly ofUser: PreparedSelect<readonly [EntityColumns<Account>]>;

  constructor(private readonly db: Database) {
    // Read on every balance inquiry, statement and transfer: prepared once, and on MySQL/MariaDB
    // batched across the requests of a turn, like the identity lookup (a UNION's branches have no
    // ORDER BY: the few accounts of a contract are put in order here).
    const account = db.columns(Account, 'account');
    const assigned = db.columns(UserAccount, 'assigned');
    this.ofContract = db.prepareBatchedSelect([account] as const, `FROM ${account.from} WHERE ${account.column('contractId')} = ?`);
    this.ofUser = db.prepareBatchedSelect(
      [account] as const,
      `FROM ${account.from} INNER JOIN ${assigned.from} ON ${assigned.column('accountId')} = ${account.column('id')}` +
        ` WHERE ${assigned.column('userId')} = ? AND ${account.column('contractId')} = ?`,
    );
  }

  /** A user's 利用口座, oldest first; an administrator sees every account of the contract. */
  async accounts(ctx: RequestContext): Promise<Account[]> {
    const user = callerUser(ctx);
    const contractId = callerContractId(ctx);
    const rows = user.role === Role.ADMIN ? await this.ofContract.rows([contractId]) : await this.ofUser.rows([user.id, contractId]);
    return this.withinConsent(
      ctx,
      rows.map(([account]) => account!).sort((a, b) => a.id - b.id),
    );
  }

  /** A partner's caller reaches only the accounts the customer's consent names (and still may use). */
  private withinConsent(ctx: RequestContext, accounts: Account[]): Account[] {
    const consented = ctx.partner?.accountIds;
    return consented ? accounts.filter((account) => consented.includes(account.id)) : accounts;
  }

  /** An account the caller may pay from (利用口座) in their own contract: assigned to them, administrators included. */
  async usableAccount(ctx: RequestContext, accountId: number): Promise<Account> {
    const user = callerUser(ctx);
    const account = await this.db.manager.findOneBy(Account, { id: accountId, contractId: callerContractId(ctx) });
    const assigned = account && (await this.db.manager.existsBy(UserAccount, { userId: user.id, accountId }));
    if (!account || !assigned || this.withinConsent(ctx, [account]).length === 0) throw notYourAccount();
    return account;
  }

  /** An account whose balance and statement the caller may see: one of accounts(ctx). The statement query and download both ask here. */
  async inquiryAccount(ctx: RequestContext, accountId: number): Promise<Account> {
    const account = (await this.accounts(ctx)).find((candidate) => candidate.id === accountId);
    if (!account) throw notYourAccount();
    return account;
  }

  async statement(ctx: RequestContext, given: StatementArgs): Promise<{ items: StatementLine[]; nextCursor: number | null }> {
    const args = absentIfNull(given);
    await this.inquiryAccount(ctx, args.accountId);
    const where: FindOptionsWhere<StatementLine> = extend(olderThan(args), { accountId: args.accountId });
    const days = withinRange(args.from, args.to);
    if (days) where.businessDate = days;
    const rows = await this.db.manager.find(StatementLine, { where, order: { id: 'DESC' }, take: args.first + 1 });
    return pageOf(rows, args.first);
  }
}

function notYourAccount(): DomainError {
  return new DomainError(ErrorCode.FORBIDDEN, 'This account is not one of your accounts (利用口座).', { field: 'accountId' });
}
