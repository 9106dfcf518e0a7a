import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { toUserRef, UserRef } from '../../users/user.types';
import { toAccountView } from '../accounts/account.resolver';
import { AccountView } from '../accounts/account.types';

/** What every kind's GraphQL view keeps beside its fields, for the shared field resolvers. */
export interface PaymentOrderView {
  makerUserId: number;
  approverUserId: number | null;
  accountId: number;
}

/**
 * The fields every kind of payment order shows — maker, approver, the account paid from —
 * written once (type-graphql's resolvers-inheritance): `class TransferResolver extends
 * PaymentOrderFields(TransferView)`. A class per view, because type-graphql hands an inherited
 * resolver's fields to the first subclass it meets. Each loads through the request's DataLoaders
 * (never one query per row of a list).
 */
export function PaymentOrderFields<View extends PaymentOrderView>(view: ClassType<View>) {
  @Resolver(() => view)
  abstract class PaymentOrderFieldResolver {
    @FieldResolver(() => UserRef, { description: 'Who made it' })
    async maker(@Root() order: View, @Ctx() ctx: RequestContext): Promise<UserRef> {
      return toUserRef((await ctx.loaders.userById.load(order.makerUserId))!);
    }

    @FieldResolver(() => UserRef, { nullable: true, description: 'Who approved or rejected it (maker ≠ checker)' })
    async approver(@Root() order: View, @Ctx() ctx: RequestContext): Promise<UserRef | null> {
      if (order.approverUserId === null) return null;
      const user = await ctx.loaders.userById.load(order.approverUserId);
      return user ? toUserRef(user) : null;
    }

    @FieldResolver(() => AccountView, { description: 'The account paid from' })
    async account(@Root() order: View, @Ctx() ctx: RequestContext): Promise<AccountView> {
      return toAccountView((await ctx.loaders.accountById.load(order.accountId))!);
    }
  }
  return PaymentOrderFieldResolver;
}
