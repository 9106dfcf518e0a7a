import type { FindOptionsWhere } from 'typeorm';
import { contractInScope } from '../auth/contract-scope';
import { absentIfNull } from '../common/arguments';
import { DomainError, ErrorCode } from '../common/domain-error';
import { olderThan, pageOf, withinRange } from '../common/pagination';
import type { Database } from '../db/database';
import { readInPages } from '../db/paged-read';
import type { RequestContext } from '../graphql/context';
import { auditEventLine } from './audit-chain';
import { AuditEvent } from './audit-event.entity';
import type { AuditEventsArgs } from './audit.types';

const EXPORT_MAX_EVENTS = 50_000;

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

  /**
   * A contract's audit log for the bank's records: JSON Lines, oldest first, each event with its
   * chain fields, so the copy can be checked offline with the same hashes (audit/audit-chain.ts).
   * Events past retention are no longer here but in the archive, in the same form.
   */
  async exportJsonLines(
    ctx: RequestContext,
    requestedContractId: number | undefined,
    from: Date | undefined,
    to: Date | undefined,
  ): Promise<string> {
    const contractId = contractInScope(ctx, requestedContractId);
    const where: FindOptionsWhere<AuditEvent> = { contractId };
    const occurredAt = withinRange(from, to);
    if (occurredAt) where.occurredAt = occurredAt;
    const lines: string[] = [];
    let events = 0;
    for await (const page of readInPages(this.db.manager, AuditEvent, where, 'id')) {
      events += page.length;
      if (events > EXPORT_MAX_EVENTS) {
        throw new DomainError(ErrorCode.BAD_USER_INPUT, `More than ${EXPORT_MAX_EVENTS} events: export a shorter period (from, to).`, {
          field: 'from',
        });
      }
      lines.push(page.map(auditEventLine).join('\n'));
    }
    return lines.join('\n');
  }
}
