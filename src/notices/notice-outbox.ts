import { IsNull, Not, type EntityManager } from 'typeorm';
import { BulkTransfer } from '../banking/bulk-transfers/bulk-transfer.entity';
import { SalaryTransfer } from '../banking/salary-transfers/salary-transfer.entity';
import { Transfer } from '../banking/transfers/transfer.entity';
import { Contract } from '../contract/contract.entity';
import { Certificate } from '../pki/certificate.entity';
import { Role, User } from '../users/user.entity';
import type { AuditAction } from '../audit/audit-action';
import { Notice, NoticeStatus } from './notice.entity';
import { noticeText } from './notice-text';
import { NOTICES } from './notices';

/** The audited event as written (audit.service.ts), the part a notice needs. */
export interface NotifiableEvent {
  occurredAt: Date;
  action: AuditAction;
  contractId: number | null;
  actorUserId: number | null;
  actorLoginId: string | null;
  targetType: string | null;
  targetId: string | null;
  sourceAddress: string | null;
  detail?: Record<string, unknown>;
}

/** The user an event concerns, by what it targets: the order's maker, the certificate's holder, the user; else whoever acted. */
const CONCERNED_USER: Record<string, { entity: new () => object; column: string }> = {
  User: { entity: User, column: 'id' },
  Certificate: { entity: Certificate, column: 'userId' },
  Transfer: { entity: Transfer, column: 'makerUserId' },
  BulkTransfer: { entity: BulkTransfer, column: 'makerUserId' },
  SalaryTransfer: { entity: SalaryTransfer, column: 'makerUserId' },
};
const ORDER_TYPES = new Set(['Transfer', 'BulkTransfer', 'SalaryTransfer']);

/**
 * Writes the notices of an audited event into the outbox, with the audit's own transaction
 * manager: the notice commits or rolls back with the change it tells of. Recipients are the
 * user concerned and the contract's administrators, as the contract's e-mail settings say, each
 * with an address; each gets one row (one Message-ID).
 */
export class NoticeOutbox {
  constructor(private readonly bankName: string) {}

  async enqueue(m: EntityManager, event: NotifiableEvent): Promise<number> {
    const rule = NOTICES[event.action];
    if (!rule || event.contractId === null) return 0;
    const contract = await m.findOne(Contract, {
      where: { id: event.contractId },
      select: { id: true, userNoticeTopics: true, administratorNoticeTopics: true },
    });
    if (!contract) return 0;
    const recipients = new Map<number, string>();
    const concerned = await this.concernedUser(m, event);
    if (concerned !== null && contract.userNoticeTopics.includes(rule.topic)) {
      const user = await m.findOne(User, { where: { id: concerned, contractId: contract.id }, select: { id: true, emailAddress: true } });
      if (user?.emailAddress) recipients.set(user.id, user.emailAddress);
    }
    if (contract.administratorNoticeTopics.includes(rule.topic)) {
      const admins = await m.find(User, {
        where: { contractId: contract.id, role: Role.ADMIN, emailAddress: Not(IsNull()) },
        select: { id: true, emailAddress: true },
        order: { id: 'ASC' },
      });
      for (const admin of admins) recipients.set(admin.id, admin.emailAddress!);
    }
    if (recipients.size === 0) return 0;
    const amount = event.detail?.amount ?? event.detail?.totalAmount;
    const text = noticeText(
      rule,
      {
        occurredAt: event.occurredAt,
        sourceAddress: event.sourceAddress,
        actorLoginId: event.actorLoginId,
        orderId: event.targetType && ORDER_TYPES.has(event.targetType) ? event.targetId : null,
        amount: typeof amount === 'number' ? amount : null,
      },
      this.bankName,
    );
    await m.insert(
      Notice,
      [...recipients].map(([userId, emailAddress]) => ({
        contractId: contract.id,
        userId,
        emailAddress,
        action: event.action,
        ...text,
        status: NoticeStatus.PENDING,
        attempts: 0,
        nextAttemptAt: event.occurredAt,
        createdAt: event.occurredAt,
      })),
    );
    return recipients.size;
  }

  private async concernedUser(m: EntityManager, event: NotifiableEvent): Promise<number | null> {
    const target = event.targetType ? CONCERNED_USER[event.targetType] : undefined;
    if (!target || event.targetId === null) return event.actorUserId;
    const row = await m.findOne(target.entity, { where: { id: Number(event.targetId) }, select: { [target.column]: true, id: true } });
    const owner = row ? (row as Record<string, unknown>)[target.column] : null;
    return typeof owner === 'number' ? owner : event.actorUserId;
  }
}
