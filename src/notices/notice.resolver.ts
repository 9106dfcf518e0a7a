import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import { ContractView, toContractView } from '../contract/contract.types';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Services } from '../services';
import { UserSummary } from '../admin/admin.types';
import { NoticeTopic } from './notice-topic';
import './notice.types';

@Resolver()
export class NoticeResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.SESSION)
  @Mutation(() => String, {
    nullable: true,
    description: 'Set (or, with null or "", remove) your own e-mail address for notices; returns it',
  })
  async setEmailAddress(
    @Ctx() ctx: RequestContext,
    @Arg('emailAddress', () => String, { nullable: true }) emailAddress: string | null,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<string | null> {
    return (await this.services.noticeSettings.setOwnEmailAddress(ctx, emailAddress, confirmationPassword)).emailAddress;
  }

  @Allow(Access.ADMIN)
  @Mutation(() => UserSummary, { description: 'Set (or remove) the e-mail address of a user of your contract' })
  async setUserEmailAddress(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => Int) userId: number,
    @Arg('emailAddress', () => String, { nullable: true }) emailAddress: string | null,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<UserSummary> {
    const user = await this.services.noticeSettings.setUserEmailAddress(ctx, userId, emailAddress, confirmationPassword);
    return this.services.admin.summary(user.id);
  }

  @Allow(Access.ADMIN)
  @Mutation(() => ContractView, { description: 'メール通知設定: the notices the user concerned and the administrators get by e-mail' })
  async setNoticeSettings(
    @Ctx() ctx: RequestContext,
    @Arg('userTopics', () => [NoticeTopic]) userTopics: NoticeTopic[],
    @Arg('administratorTopics', () => [NoticeTopic]) administratorTopics: NoticeTopic[],
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<ContractView> {
    return toContractView(await this.services.noticeSettings.setNoticeSettings(ctx, userTopics, administratorTopics, confirmationPassword));
  }
}
