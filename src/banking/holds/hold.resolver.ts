import { Arg, Args, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { boundedText } from '../../common/validation';
import { Access, Allow } from '../../graphql/access';
import type { RequestContext } from '../../graphql/context';
import type { Services } from '../../services';
import { TRANSFER } from '../transfers/transfer.kind';
import { HeldTransferPage, HeldTransfersArgs, HoldDecision } from './hold.types';

/** The operator's record of the 本人確認 or of why a held order was cancelled (who, how, what was confirmed). */
const verificationNote = (note: string, field: string) => boundedText(note, field, 5, 500);

/** 保留中の取引: the bank operator's queue of held transfers, and its release or cancellation. */
@Resolver()
export class HoldResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.OPERATOR)
  @Query(() => HeldTransferPage, { description: '保留中の取引: transfers of every contract held by a fraud-control rule, oldest first' })
  heldTransfers(@Args(() => HeldTransfersArgs) args: HeldTransfersArgs): Promise<HeldTransferPage> {
    return this.services.holds.heldTransfers(args);
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => HoldDecision, {
    description: 'Release a held transfer after 本人確認 with the customer: it then runs (at once when its day has come), exactly once',
  })
  async releaseHeldTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('transferId', () => Int) transferId: number,
    @Arg('verification', { description: 'The 本人確認: who was called back on the number the bank holds, and what they confirmed' })
    verification: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<HoldDecision> {
    const note = verificationNote(verification, 'verification');
    const released = await this.services.holds.release(TRANSFER, ctx, transferId, note, confirmationPassword);
    return { transferId: released.id, status: released.status };
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => HoldDecision, { description: 'Cancel a held transfer (not confirmed by the customer); its reserved limits are released' })
  async cancelHeldTransfer(
    @Ctx() ctx: RequestContext,
    @Arg('transferId', () => Int) transferId: number,
    @Arg('note', { description: 'Why: what the customer said, or that they could not be reached' }) note: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<HoldDecision> {
    const cancelled = await this.services.holds.cancel(TRANSFER, ctx, transferId, verificationNote(note, 'note'), confirmationPassword);
    return { transferId: cancelled.id, status: cancelled.status };
  }
}
