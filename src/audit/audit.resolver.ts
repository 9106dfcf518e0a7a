import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Services } from '../services';
import { AuditEventPage, AuditEventsArgs } from './audit.types';

@Resolver()
export class AuditResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.ADMIN_OR_OPERATOR)
  @Query(() => AuditEventPage, { description: 'Newest first. Administrators: their contract; operators: any' })
  auditEvents(@Ctx() ctx: RequestContext, @Args() args: AuditEventsArgs): Promise<AuditEventPage> {
    return this.services.auditLog.events(ctx, args);
  }
}
