import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { boundedText } from '../../common/validation';
import { Access, Allow } from '../../graphql/access';
import type { RequestContext } from '../../graphql/context';
import type { Services } from '../../services';
import { PasskeyChallengeResult, PasskeyView, toPasskeyView } from './passkey.types';

/** Passkeys for 取引認証: each user's own, and the administrator's removal of a user's. */
@Resolver()
export class PasskeyResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.SESSION)
  @Query(() => [PasskeyView], { description: 'Your passkeys (取引認証), oldest first' })
  async passkeys(@Ctx() ctx: RequestContext): Promise<PasskeyView[]> {
    return (await this.services.passkeys.list(ctx)).map(toPasskeyView);
  }

  @Allow(Access.ADMIN)
  @Query(() => [PasskeyView], { description: 'The passkeys of a user of your contract' })
  async userPasskeys(@Ctx() ctx: RequestContext, @Arg('userId', () => Int) userId: number): Promise<PasskeyView[]> {
    return (await this.services.passkeys.listOfUser(ctx, userId)).map(toPasskeyView);
  }

  @Allow(Access.SESSION)
  @Mutation(() => PasskeyChallengeResult, { description: 'Begin registering a passkey: options for the browser’s startRegistration()' })
  async beginPasskeyRegistration(@Ctx() ctx: RequestContext): Promise<PasskeyChallengeResult> {
    const issued = await this.services.passkeys.beginRegistration(ctx);
    return { publicKeyOptions: issued.optionsJSON, expiresAt: issued.expiresAt };
  }

  @Allow(Access.SESSION)
  @Mutation(() => PasskeyView, {
    description: 'Register a passkey: the browser’s response (JSON), confirmed with your confirmation password',
  })
  async registerPasskey(
    @Ctx() ctx: RequestContext,
    @Arg('name') name: string,
    @Arg('registration', { description: 'RegistrationResponseJSON from startRegistration(), as JSON' }) registration: string,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<PasskeyView> {
    const passkey = await this.services.passkeys.register(ctx, boundedText(name, 'name', 1, 60), registration, confirmationPassword);
    return toPasskeyView(passkey);
  }

  @Allow(Access.SESSION)
  @Mutation(() => PasskeyView, { description: 'Remove one of your passkeys' })
  async removePasskey(
    @Ctx() ctx: RequestContext,
    @Arg('passkeyId', () => Int) passkeyId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<PasskeyView> {
    return toPasskeyView(await this.services.passkeys.remove(ctx, passkeyId, confirmationPassword));
  }

  @Allow(Access.ADMIN)
  @Mutation(() => PasskeyView, { description: 'Remove a passkey of a user of your contract (a PC or key lost, a person leaving)' })
  async removeUserPasskey(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => Int) userId: number,
    @Arg('passkeyId', () => Int) passkeyId: number,
    @Arg('confirmationPassword') confirmationPassword: string,
  ): Promise<PasskeyView> {
    return toPasskeyView(await this.services.passkeys.removeOfUser(ctx, userId, passkeyId, confirmationPassword));
  }
}
