import { Arg, Args, Ctx, Int, Query, Resolver } from 'type-graphql';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Services } from '../services';
import { AuditChainVerification, AuditEventPage, AuditEventsArgs } from './audit.types';

@Resolver()
export class AuditResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.ADMIN_OR_OPERATOR)
  @Query(() => AuditEventPage, { description: 'Newest first. Administrators: their contract; operators: any' })
  auditEvents(@Ctx() ctx: RequestContext, @Args() args: AuditEventsArgs): Promise<AuditEventPage> {
    return this.services.auditLog.events(ctx, args);
  }

  @Allow(Access.OPERATOR)
  @Query(() => AuditChainVerification, {
    description: 'Check a contract’s audit chain (or, without contractId, the bank’s own) for edited, deleted or removed events',
  })
  verifyAuditChain(@Arg('contractId', () => Int, { nullable: true }) contractId?: number | null): Promise<AuditChainVerification> {
    return this.services.auditChain.verify(contractId ?? null);
  }
}
