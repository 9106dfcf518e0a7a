import type { FindOptionsWhere } from 'typeorm';
import { contractInScope } from '../auth/contract-scope';
import { absentIfNull } from '../common/arguments';
import { olderThan, pageOf, withinRange } from '../common/pagination';
import type { Database } from '../db/database';
import { readInPages } from '../db/paged-read';
import type { RequestContext } from '../graphql/context';
import { jsonLinesFormat, type DownloadFile } from '../downloads/file-format';
import { AuditAction } from './audit-action';
import { auditActor } from './audit-actor';
import { auditEventLine } from './audit-chain';
import type { AuditService } from './audit.service';
import { AuditEvent } from './audit-event.entity';
import type { AuditEventsArgs } from './audit.types';

/** Reading the audit log: administrators their own contract's, operators any (or one) contract's. */
export class AuditLogService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

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
   * A contract's audit log for the bank's records, for the download: JSON Lines, oldest first, each
   * event with its chain fields, so the copy can be checked offline with the same hashes
   * (audit/audit-chain.ts). Events past retention are no longer here but in the archive, in the
   * same form. The export is itself audited (in the contract's log, so it is in the file it
   * writes), and the events are read a page at a time while the file is written.
   */
  async export(
    ctx: RequestContext,
    requestedContractId: number | undefined,
    from: Date | undefined,
    to: Date | undefined,
  ): Promise<DownloadFile<AuditEvent>> {
    const contractId = contractInScope(ctx, requestedContractId);
    const where: FindOptionsWhere<AuditEvent> = { contractId };
    const occurredAt = withinRange(from, to);
    if (occurredAt) where.occurredAt = occurredAt;
    await this.db.transaction((m) =>
      this.audit.record(m, auditActor(ctx), {
        action: AuditAction.AUDIT_LOG_DOWNLOADED,
        contractId,
        target: { type: 'Contract', id: contractId },
        detail: { from: from?.toISOString() ?? null, to: to?.toISOString() ?? null },
      }),
    );
    return {
      fileName: `audit-log-contract-${contractId}.jsonl`,
      format: jsonLinesFormat(auditEventLine),
      pages: readInPages(this.db.manager, AuditEvent, where, 'id'),
    };
  }
}
