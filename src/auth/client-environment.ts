import { AuditAction } from '../audit/audit-action';
import { AuditOutcome } from '../audit/audit-event.entity';
import type { AuditService } from '../audit/audit.service';
import { DomainError, ErrorCode } from '../common/domain-error';
import { addressInRanges, parseRanges, type IpRange } from '../common/ip-ranges';
import type { Database } from '../db/database';
import type { AuditActor } from '../audit/audit.service';
import type { Identity } from './identity.service';

/** Phone browsers (R15: no mobile phones). Partner integrations send no such User-Agent. */
const MOBILE_BROWSER = /\b(iPhone|iPod|Windows Phone|IEMobile|BlackBerry|Opera Mini)\b|Android.+Mobile|\bMobile\b.+Safari/i;

/**
 * R15: the client-environment policy. Use from Japan or abroad is allowed; a contract may
 * restrict its users to an IP allow-list, and phone browsers can be refused. Refusals are audited.
 */
export class ClientEnvironmentPolicy {
  private readonly parsed = new Map<string, IpRange[]>();

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly refuseMobileBrowsers: boolean,
  ) {}

  private ranges(allowList: string): IpRange[] {
    let ranges = this.parsed.get(allowList);
    if (!ranges) {
      ranges = parseRanges(allowList.split(','));
      this.parsed.set(allowList, ranges);
    }
    return ranges;
  }

  async check(identity: Identity, actor: AuditActor, userAgent: string | null): Promise<void> {
    if (this.refuseMobileBrowsers && userAgent && MOBILE_BROWSER.test(userAgent)) {
      await this.refuse(actor, 'mobile browser');
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'Mobile phones are not supported. Please use a PC (Windows or Mac) that meets the environment.',
      );
    }
    const allowList = identity.contract?.ipAllowList;
    if (!allowList) return;
    if (!addressInRanges(actor.sourceAddress, this.ranges(allowList))) {
      await this.refuse(actor, 'address not in the allow-list');
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        `Access from ${actor.sourceAddress} is not allowed for your contract. Your administrator manages the allowed addresses.`,
      );
    }
  }

  private async refuse(actor: AuditActor, reason: string): Promise<void> {
    await this.db.transaction((m) =>
      this.audit.record(m, actor, { action: AuditAction.CLIENT_REFUSED, outcome: AuditOutcome.FAILURE, detail: { reason } }),
    );
  }
}
