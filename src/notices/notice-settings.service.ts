import type { AdminService } from '../admin/admin.service';
import { AuditAction } from '../audit/audit-action';
import { auditActor } from '../audit/audit-actor';
import type { AuditService } from '../audit/audit.service';
import { callerContractId, callerUser } from '../auth/caller';
import type { ConfirmationService } from '../auth/confirmation.service';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Contract } from '../contract/contract.entity';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { User } from '../users/user.entity';
import { emailAddressOf } from './email-address';
import { NoticeTopic } from './notice-topic';

/** Where notices go: a user's address (set by the user or the administrator) and the contract's e-mail settings. */
export class NoticeSettingsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly admin: AdminService,
  ) {}

  /** The caller's own address. */
  async setOwnEmailAddress(ctx: RequestContext, given: string | null, confirmationPassword: string): Promise<User> {
    return this.setEmailAddress(ctx, callerUser(ctx), emailAddressOf(given), confirmationPassword);
  }

  /** The administrator sets the address of a user of their contract (their own included). */
  async setUserEmailAddress(ctx: RequestContext, userId: number, given: string | null, confirmationPassword: string): Promise<User> {
    const address = emailAddressOf(given);
    return this.setEmailAddress(ctx, await this.admin.userOfMyContract(ctx, userId), address, confirmationPassword);
  }

  private async setEmailAddress(ctx: RequestContext, user: User, emailAddress: string | null, confirmationPassword: string): Promise<User> {
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      await m.update(User, { id: user.id }, { emailAddress });
      // Audited after the change, so the notice of it goes to the new address (and to the administrators).
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.EMAIL_ADDRESS_CHANGED,
        target: { type: 'User', id: user.id },
        detail: { set: emailAddress !== null },
      });
      return m.findOneByOrFail(User, { id: user.id });
    });
  }

  /** メール通知設定: which topics go to the user concerned and which to the administrators. */
  async setNoticeSettings(
    ctx: RequestContext,
    userTopics: NoticeTopic[],
    administratorTopics: NoticeTopic[],
    confirmationPassword: string,
  ): Promise<Contract> {
    const contractId = callerContractId(ctx);
    // Whoever stopped the service, every administrator must learn of it.
    if (!administratorTopics.includes(NoticeTopic.EMERGENCY_STOP)) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The administrators are always told of an emergency stop: keep EMERGENCY_STOP.', {
        field: 'administratorTopics',
      });
    }
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      const before = await m.findOneByOrFail(Contract, { id: contractId });
      await m.update(Contract, { id: contractId }, { userNoticeTopics: userTopics, administratorNoticeTopics: administratorTopics });
      const after = await m.findOneByOrFail(Contract, { id: contractId });
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.NOTICE_SETTINGS_CHANGED,
        target: { type: 'Contract', id: contractId },
        detail: {
          from: { user: before.userNoticeTopics, administrators: before.administratorNoticeTopics },
          to: { user: after.userNoticeTopics, administrators: after.administratorNoticeTopics },
        },
      });
      return after;
    });
  }
}
