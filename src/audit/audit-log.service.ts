import type { FindOptionsWhere } from 'typeorm';
import { contractInScope } from '../auth/contract-scope';
import { absentIfNull } from '../common/arguments';
import { olderThan, pageOf, withinRange } from '../common/pagination';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { AuditEvent } from './audit-event.entity';
import type { AuditEventsArgs } from './audit.types';

/** Reading the audit log: administrators their own contract's, operators any (or one) contract's. */
export class AuditLogService {
  constructor(private readonly db: Database) {}

  async events(ctx: RequestContext, given: AuditEventsArgs): Promise<{ items: AuditEvent[]; nextCursor: number | null }> {
    const args = absentIfNull(given);
    const where: FindOptionsWhere<AuditEvent> = { ...olderThan(args) };
    const contractId = contractInScope(ctx, args.contractId, { optional: true });
    if (contractId !== undefined) where.contractId = contractId;
    if (args.userId !== undefined) where.actorUserId = args.userId;
    if (args.action !== undefined) where.action = args.action;
    const occurredAt = withinRange(args.from, args.to);
    if (occurredAt) where.occurredAt = occurredAt;
    const rows = await this.db.manager.find(AuditEvent, { where, order: { id: 'DESC' }, take: args.first + 1 });
    return pageOf(rows, args.first);
  }
}
