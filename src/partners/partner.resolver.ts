import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Services } from '../services';
import { PartnerStatus } from './partner.entity';
import {
  PartnerConsentRequest,
  PartnerConsentResult,
  PartnerGrantView,
  PartnerView,
  RegisterPartnerInput,
  toPartnerView,
} from './partner.types';

/** The bank's register of partners (連携先), operators only; a customer's consent to one, and 連携先管理. */
@Resolver()
export class PartnerResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.OPERATOR)
  @Query(() => [PartnerView], { description: 'Every registered partner (連携先)' })
  async partners(): Promise<PartnerView[]> {
    return (await this.services.partners.partners()).map(toPartnerView);
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => PartnerView, { description: 'Register a partner (連携先) as an OAuth client of the authorization server' })
  async registerPartner(
    @Ctx() ctx: RequestContext,
    @Arg('input') input: RegisterPartnerInput,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<PartnerView> {
    return toPartnerView(await this.services.partners.registerPartner(ctx, input, confirmationPassword));
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => PartnerView, { description: 'Suspend a partner: refused from its next request on' })
  async suspendPartner(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => Int) partnerId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<PartnerView> {
    return toPartnerView(await this.services.partners.setPartnerStatus(ctx, partnerId, PartnerStatus.SUSPENDED, confirmationPassword));
  }

  @Allow(Access.OPERATOR)
  @Mutation(() => PartnerView, { description: 'Resume a suspended partner' })
  async resumePartner(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => Int) partnerId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<PartnerView> {
    return toPartnerView(await this.services.partners.setPartnerStatus(ctx, partnerId, PartnerStatus.ACTIVE, confirmationPassword));
  }

  @Allow(Access.SESSION)
  @Query(() => PartnerConsentRequest, {
    description: 'The partner’s request this browser was sent with (the uid in /#/partners/consent/<uid>)',
  })
  async partnerConsentRequest(@Ctx() ctx: RequestContext, @Arg('uid') uid: string): Promise<PartnerConsentRequest> {
    const request = await this.services.partnerConsent.consentRequest(ctx, uid);
    return {
      partnerName: request.partner.name,
      scopes: request.scopes,
      accounts: request.accounts.map(({ id, branchName, accountType, accountNumber }) => ({ id, branchName, accountType, accountNumber })),
    };
  }

  @Allow(Access.SESSION)
  @Mutation(() => PartnerConsentResult, { description: 'Consent to the partner’s request (連携の同意), with your confirmation password' })
  async approvePartnerConsent(
    @Ctx() ctx: RequestContext,
    @Arg('uid') uid: string,
    @Arg('accountIds', () => [Int], { description: 'The accounts the partner may see and pay from: one or more of yours' })
    accountIds: number[],
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<PartnerConsentResult> {
    return { redirectTo: await this.services.partnerConsent.approve(ctx, uid, accountIds, confirmationPassword) };
  }

  @Allow(Access.SESSION)
  @Mutation(() => PartnerConsentResult, { description: 'Decline the partner’s request: back to the partner with access_denied' })
  async declinePartnerConsent(@Ctx() ctx: RequestContext, @Arg('uid') uid: string): Promise<PartnerConsentResult> {
    return { redirectTo: await this.services.partnerConsent.decline(ctx, uid) };
  }

  @Allow(Access.CUSTOMER)
  @Query(() => [PartnerGrantView], {
    description: 'Consents given to partners (連携先管理): your own; the administrator sees all of the contract’s',
  })
  async partnerGrants(@Ctx() ctx: RequestContext): Promise<PartnerGrantView[]> {
    return this.services.partnerGrants.views(ctx, await this.services.partnerGrants.list(ctx));
  }

  @Allow(Access.CUSTOMER)
  @Mutation(() => PartnerGrantView, {
    description: 'Revoke a consent: the partner is refused from its next request on (its giver, or the administrator)',
  })
  async revokePartnerGrant(
    @Ctx() ctx: RequestContext,
    @Arg('grantId', () => Int) grantId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<PartnerGrantView> {
    const [view] = await this.services.partnerGrants.views(ctx, [
      await this.services.partnerGrants.revoke(ctx, grantId, confirmationPassword),
    ]);
    return view;
  }

  @Allow(Access.CUSTOMER)
  @Mutation(() => PartnerGrantView, { description: 'Renew your consent for another PARTNER_CONSENT_DAYS (90 by default)' })
  async renewPartnerGrant(
    @Ctx() ctx: RequestContext,
    @Arg('grantId', () => Int) grantId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<PartnerGrantView> {
    const [view] = await this.services.partnerGrants.views(ctx, [
      await this.services.partnerGrants.renew(ctx, grantId, confirmationPassword),
    ]);
    return view;
  }
}
