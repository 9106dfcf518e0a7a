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

  @Allow(Access.ADMIN_OR_OPERATOR)
  @Query(() => String, {
    description:
      'A contract’s audit log as JSON Lines (oldest first, with the chain fields) for the bank’s records. Administrators: their own',
  })
  auditLogExport(
    @Ctx() ctx: RequestContext,
    @Arg('contractId', () => Int, { nullable: true }) contractId?: number | null,
    @Arg('from', () => Date, { nullable: true }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true }) to?: Date | null,
  ): Promise<string> {
    return this.services.auditLog.exportJsonLines(ctx, contractId ?? undefined, from ?? undefined, to ?? undefined);
  }

  @Allow(Access.OPERATOR)
  @Query(() => AuditChainVerification, {
    description: 'Check a contract’s audit chain (or, without contractId, the bank’s own) for edited, deleted or removed events',
  })
  verifyAuditChain(@Arg('contractId', () => Int, { nullable: true }) contractId?: number | null): Promise<AuditChainVerification> {
    return this.services.auditChain.verify(contractId ?? null);
  }
}
