import { Args, Query, Resolver } from 'type-graphql';
import { Access, Allow } from '../../graphql/access';
import { searchBanks, searchBranches } from './bank-search';
import { BranchSearchArgs, DirectoryEntryView, DirectorySearchArgs } from './directory.types';

/**
 * 金融機関検索 for the transfer and payee forms: the zengin-code directory holds no customer data, so
 * whoever may list payees may search it (a payee is registered by bank and branch as a transfer is).
 */
@Resolver()
export class DirectoryResolver {
  @Allow(Access.TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN)
  @Query(() => [DirectoryEntryView], {
    description: '金融機関検索: banks by code prefix, name or reading (kana of any width, or hiragana); exact and prefix matches first',
  })
  banks(@Args() args: DirectorySearchArgs): DirectoryEntryView[] {
    return searchBanks(args.search, args.first);
  }

  @Allow(Access.TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN)
  @Query(() => [DirectoryEntryView], { description: '支店検索: the branches of one bank by code prefix, name or reading' })
  branches(@Args() args: BranchSearchArgs): DirectoryEntryView[] {
    return searchBranches(args.bankCode, args.search, args.first);
  }
}
