import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Access, Allow } from '../../graphql/access';
import type { RequestContext } from '../../graphql/context';
import type { Services } from '../../services';
import type { Account } from './account.entity';
import { AccountView, StatementArgs, StatementPage } from './account.types';

export function toAccountView(account: Account): AccountView {
  const { id, branchCode, branchName, accountType, accountNumber, holderName, balance } = account;
  return { id, branchCode, branchName, accountType, accountNumber, holderName, balance };
}

@Resolver()
export class AccountResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.ACCOUNT_INQUIRY)
  @Query(() => [AccountView], { description: 'Your accounts (利用口座) with balances' })
  async accounts(@Ctx() ctx: RequestContext): Promise<AccountView[]> {
    return (await this.services.accounts.accounts(ctx)).map(toAccountView);
  }

  @Allow(Access.ACCOUNT_INQUIRY)
  @Query(() => StatementPage, {
    description: '入出金明細 of one of your accounts, newest first: by business day and, within a day, the last booked first',
  })
  statement(@Ctx() ctx: RequestContext, @Args() args: StatementArgs): Promise<StatementPage> {
    return this.services.accounts.statement(ctx, args);
  }
}
