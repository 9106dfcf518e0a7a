import { In, type FindOptionsWhere } from 'typeorm';
import { callerContractId, callerUser } from '../auth/caller';
import { Role } from '../users/user.entity';
import { absentIfNull } from '../common/arguments';
import { DomainError, ErrorCode } from '../common/domain-error';
import { olderThan, pageOf, withinRange } from '../common/pagination';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { Account, UserAccount } from './account.entity';
import type { StatementArgs } from './banking.types';
import { StatementLine } from './statement-line.entity';

/** Balances and statements (残高照会・入出金明細) of the accounts a user may use. */
export class AccountService {
  constructor(private readonly db: Database) {}

  /** A user's 利用口座; an administrator sees every account of the contract. */
  async accounts(ctx: RequestContext): Promise<Account[]> {
    const user = callerUser(ctx);
    const contractId = callerContractId(ctx);
    if (user.role === Role.ADMIN) return this.db.manager.find(Account, { where: { contractId }, order: { id: 'ASC' } });
    const assigned = await this.db.manager.findBy(UserAccount, { userId: user.id });
    if (!assigned.length) return [];
    return this.db.manager.find(Account, { where: { id: In(assigned.map((a) => a.accountId)), contractId }, order: { id: 'ASC' } });
  }

  async statement(ctx: RequestContext, given: StatementArgs): Promise<{ items: StatementLine[]; nextCursor: number | null }> {
    const args = absentIfNull(given);
    if (!(await this.accounts(ctx)).some((account) => account.id === args.accountId)) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'This account is not one of your accounts (利用口座).', { field: 'accountId' });
    }
    const where: FindOptionsWhere<StatementLine> = { ...olderThan(args), accountId: args.accountId };
    const days = withinRange(args.from, args.to);
    if (days) where.businessDate = days;
    const rows = await this.db.manager.find(StatementLine, { where, order: { id: 'DESC' }, take: args.first + 1 });
    return pageOf(rows, args.first);
  }
}
