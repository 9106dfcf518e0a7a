import { AuditAction } from '../../audit/audit-action';
import { auditActor } from '../../audit/audit-actor';
import { AuditOutcome } from '../../audit/audit-event.entity';
import type { AuditService } from '../../audit/audit.service';
import type { ChallengeTarget } from '../../auth/passkeys/passkey-challenges';
import { PasskeyPurpose } from '../../auth/passkeys/passkey.entity';
import type { IssuedChallenge, PasskeyService, VerifiedAssertion } from '../../auth/passkeys/passkey.service';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { Contract, PasskeyApproval } from '../../contract/contract.entity';
import type { Database } from '../../db/database';
import type { RequestContext } from '../../graphql/context';
import type { BankDays } from '../calendar/bank-days';
import { bindingOf } from './order-binding';
import type { OrderKind } from './order-kind';
import type { PaymentOrder } from './payment-order.entity';
import { extend } from '../../common/extend';

/**
 * 取引認証 for approvals, the same for every kind of order: whether the contract's rule requires a
 * passkey for this one, the challenge bound to the order as it stands (and the day an approval now
 * makes it run on), and the assertion checked against the order as stored at the decision.
 */
export class ApprovalPasskeys {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly passkeys: PasskeyService,
    private readonly bankDays: BankDays,
    /** PASSKEY_APPROVAL_REQUIRED_FROM: the bank's rule for a contract that chose neither. */
    private readonly requiredFrom: number | null,
  ) {}

  /** Refuses (PASSKEY_REQUIRED, audited) an approval without an assertion where the contract's rule requires one. */
  async requireIfDue<O extends PaymentOrder>(kind: OrderKind<O>, ctx: RequestContext, order: O, assertion: string | null): Promise<void> {
    if (assertion !== null) return;
    const contract = await this.db.manager.findOneByOrFail(Contract, { id: order.contractId });
    const amount = kind.amount(order);
    const byDefault = contract.passkeyApproval === null;
    const required =
      contract.passkeyApproval === PasskeyApproval.REQUIRED || (byDefault && this.requiredFrom !== null && amount >= this.requiredFrom);
    if (!required) return;
    await this.db.transaction((m) =>
      this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PASSKEY_REQUIRED_REFUSED,
        outcome: AuditOutcome.FAILURE,
        contractId: order.contractId,
        target: { type: kind.targetType, id: order.id },
        detail: extend(kind.summary(order), { rule: contract.passkeyApproval ?? 'BY_AMOUNT' }),
      }),
    );
    throw new DomainError(
      ErrorCode.PASSKEY_REQUIRED,
      `Approving this ${kind.noun} takes 取引認証: begin the approval for a passkey challenge and send the assertion (passkeyAssertion).`,
      { field: 'passkeyAssertion', ...(byDefault ? { requiredFrom: this.requiredFrom } : {}) },
    );
  }

  /** The challenge for approving this order as it stands now. */
  async begin<O extends PaymentOrder>(
    kind: OrderKind<O>,
    ctx: RequestContext,
    order: O,
    now: Date,
  ): Promise<IssuedChallenge & { binding: string }> {
    const target = await this.target(kind, order, now);
    return extend(await this.passkeys.challengeFor(ctx, PasskeyPurpose.ORDER_APPROVAL, target), { binding: target.binding });
  }

  /** The assertion, checked against the order as stored now (any change since the challenge refuses). */
  async verify<O extends PaymentOrder>(
    kind: OrderKind<O>,
    ctx: RequestContext,
    order: O,
    now: Date,
    assertion: string,
  ): Promise<VerifiedAssertion> {
    return this.passkeys.verifyAssertion(ctx, PasskeyPurpose.ORDER_APPROVAL, assertion, await this.target(kind, order, now));
  }

  private async target<O extends PaymentOrder>(kind: OrderKind<O>, order: O, now: Date): Promise<ChallengeTarget> {
    const binding = await bindingOf(this.db.manager, kind, order, this.approvalDate(order, now));
    return { targetType: kind.targetType, targetId: order.id, binding };
  }

  /** The day an approval now makes the order run on: its execution date, or — past that day's cut-off — the first day possible. */
  approvalDate(order: PaymentOrder, now: Date): string {
    const earliest = this.bankDays.executionDate(now).executionDate;
    return order.executionDate >= earliest ? order.executionDate : earliest;
  }
}
