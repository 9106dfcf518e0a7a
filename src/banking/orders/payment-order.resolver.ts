import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root, type ClassType } from 'type-graphql';
import { boundedText } from '../../common/validation';
import { Access, Allow } from '../../graphql/access';
import type { RequestContext } from '../../graphql/context';
import { itemFieldsSelected, propertiesRead, type FieldReads } from '../../graphql/selected-properties';
import type { Services } from '../../services';
import { ApprovalChallengeResult } from '../../auth/passkeys/passkey.types';
import { toUserRef, UserRef } from '../../users/user.types';
import { toAccountView } from '../accounts/account.resolver';
import { AccountView } from '../accounts/account.types';
import { ScheduledReason } from './execution-date';
import type { OrderKind } from './order-kind';
import type { OrderListArgs } from './order-lookup';
import type { PaymentOrder } from './payment-order.entity';
import type { PaymentOrderView } from './payment-order.types';

/** How one kind appears in the API: its types, and the names and descriptions of its operations (public, so fixed). */
export interface PaymentOrderApi<View extends PaymentOrderView, Page extends object> {
  kind: OrderKind<PaymentOrder & View>;
  view: ClassType<View>;
  page: ClassType<Page>;
  listArgs: ClassType<OrderListArgs>;
  /** `transfers` / `transfer(id:)`, and the suffix of approve…, reject…, cancel… */
  list: string;
  read: string;
  suffix: string;
  describe: { list: string; read: string; approve: string; reject: string; cancel: string };
  /** Who may read, decide and cancel orders of the kind; by default the transfer permissions. */
  access?: OrderAccess;
}

export interface OrderAccess {
  read: Access;
  decide: Access;
  cancel: Access;
}

const TRANSFER_ACCESS: OrderAccess = {
  read: Access.TRANSFER_OR_APPROVAL,
  decide: Access.TRANSFER_APPROVAL,
  cancel: Access.TRANSFER_OR_ADMIN,
};

/**
 * What the field resolvers below read of the order, and nothing else: a page whose query asks for
 * no more than these and plain fields is read with only their columns (OrderPages). The spec
 * prepared-lists.e2e-spec.ts asks for each field of each kind alone and compares.
 */
const FIELD_READS: FieldReads = {
  maker: ['makerUserId'],
  approver: ['approverUserId'],
  account: ['accountId'],
  scheduledReason: ['requestedDate', 'executionDate', 'businessDate'],
};

/**
 * The makers, approvers and accounts a page shows, each in one read before its rows are
 * resolved, so that each row's relation fields answer at once (ByIdLoader). `selected` null: all.
 */
async function loadRelations(ctx: RequestContext, orders: PaymentOrder[], selected: ReadonlySet<string> | null): Promise<void> {
  const shows = (field: string) => selected === null || selected.has(field);
  const users = [
    ...(shows('maker') ? orders.map((order) => order.makerUserId) : []),
    ...(shows('approver') ? orders.flatMap((order) => order.approverUserId ?? []) : []),
  ];
  await Promise.all([
    users.length > 0 && ctx.loaders.userById.loadAll(users),
    shows('account') && orders.length > 0 && ctx.loaders.accountById.loadAll(orders.map((order) => order.accountId)),
  ]);
}

/**
 * What every kind of payment order offers in the API, written once (type-graphql's
 * resolvers-inheritance): its list and its read by id, approve / reject / cancel, and the fields
 * maker, approver and account (each loaded through the request's DataLoaders: no query per row).
 * `class TransferResolver extends PaymentOrderResolver(TRANSFER_API)`: a class per kind, because
 * type-graphql hands an inherited resolver's operations to the first subclass it meets.
 */
export function PaymentOrderResolver<View extends PaymentOrderView, Page extends object>(api: PaymentOrderApi<View, Page>) {
  const { kind } = api;
  const access = api.access ?? TRANSFER_ACCESS;

  @Resolver(() => api.view)
  abstract class PaymentOrderResolverBase {
    constructor(protected readonly services: Services) {}

    @Allow(access.read)
    @Query(() => api.page, { name: api.list, description: api.describe.list })
    async orders(
      @Ctx() ctx: RequestContext,
      @Args(() => api.listArgs) args: OrderListArgs,
      @Info() info: GraphQLResolveInfo,
    ): Promise<Page> {
      const selected = itemFieldsSelected(info, 'items');
      const page = await this.services.orders.orders(kind, ctx, args, propertiesRead(selected, FIELD_READS));
      await loadRelations(ctx, page.items, selected?.names ?? null);
      return page as Page;
    }

    @Allow(access.read)
    @Query(() => api.view, { name: api.read, description: api.describe.read })
    order(@Ctx() ctx: RequestContext, @Arg('id', () => Int) id: number): Promise<View> {
      return this.services.orders.order(kind, ctx, id);
    }

    @Allow(access.decide)
    @Mutation(() => api.view, { name: `approve${api.suffix}`, description: api.describe.approve })
    approve(
      @Ctx() ctx: RequestContext,
      @Arg(kind.idArgument, () => Int) id: number,
      @Arg('confirmationPassword') confirmationPassword: string,
      @Arg('passkeyAssertion', () => String, {
        nullable: true,
        description:
          '取引認証: AuthenticationResponseJSON from startAuthentication(), as JSON, answering begin' +
          `${api.suffix}Approval's challenge; required where the contract's rule says so (PASSKEY_REQUIRED)`,
      })
      passkeyAssertion: string | null | undefined,
    ): Promise<View> {
      return this.services.orders.approve(kind, ctx, id, confirmationPassword, passkeyAssertion ?? null);
    }

    @Allow(access.decide)
    @Mutation(() => ApprovalChallengeResult, {
      name: `begin${api.suffix}Approval`,
      description: `取引認証: a single-use passkey challenge bound to this pending ${kind.noun} as it stands (payee, amount, date, account)`,
    })
    async beginApproval(@Ctx() ctx: RequestContext, @Arg(kind.idArgument, () => Int) id: number): Promise<ApprovalChallengeResult> {
      const issued = await this.services.orders.beginApproval(kind, ctx, id);
      return { publicKeyOptions: issued.optionsJSON, expiresAt: issued.expiresAt, binding: issued.binding };
    }

    @Allow(access.decide)
    @Mutation(() => api.view, { name: `reject${api.suffix}`, description: api.describe.reject })
    reject(
      @Ctx() ctx: RequestContext,
      @Arg(kind.idArgument, () => Int) id: number,
      @Arg('reason') reason: string,
      @Arg('confirmationPassword') confirmationPassword: string,
    ): Promise<View> {
      return this.services.orders.reject(kind, ctx, id, boundedText(reason, 'reason', 1, 200), confirmationPassword);
    }

    @Allow(access.cancel)
    @Mutation(() => api.view, { name: `cancel${api.suffix}`, description: api.describe.cancel })
    cancel(
      @Ctx() ctx: RequestContext,
      @Arg(kind.idArgument, () => Int) id: number,
      @Arg('confirmationPassword') confirmationPassword: string,
    ): Promise<View> {
      return this.services.orders.cancel(kind, ctx, id, confirmationPassword);
    }

    @FieldResolver(() => UserRef, { description: 'Who made it' })
    maker(@Root() order: View, @Ctx() ctx: RequestContext): UserRef | Promise<UserRef> {
      return ctx.loaders.userById.answer(order.makerUserId, (user) => toUserRef(user!));
    }

    @FieldResolver(() => UserRef, { nullable: true, description: 'Who approved or rejected it (maker ≠ checker)' })
    approver(@Root() order: View, @Ctx() ctx: RequestContext): UserRef | null | Promise<UserRef | null> {
      if (order.approverUserId === null) return null;
      return ctx.loaders.userById.answer(order.approverUserId, (user) => (user ? toUserRef(user) : null));
    }

    @FieldResolver(() => ScheduledReason, {
      nullable: true,
      description:
        'Why it runs on a later day than it was made on (see executionDate): asked for (REQUESTED_DATE), made or approved after the ' +
        'cut-off (AFTER_CUTOFF), made on a closed day (CLOSED_DAY); null when it runs on the day it was made',
    })
    scheduledReason(@Root() order: View & { executionDate: string }): ScheduledReason | null {
      return this.services.executionDates.scheduledReason(order);
    }

    @FieldResolver(() => AccountView, { description: 'The account paid from' })
    account(@Root() order: View, @Ctx() ctx: RequestContext): AccountView | Promise<AccountView> {
      return ctx.loaders.accountById.answer(order.accountId, (account) => toAccountView(account!));
    }
  }
  return PaymentOrderResolverBase;
}
