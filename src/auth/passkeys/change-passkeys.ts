import { AuditAction } from '../../audit/audit-action';
import { auditActor } from '../../audit/audit-actor';
import { AuditOutcome } from '../../audit/audit-event.entity';
import type { AuditService } from '../../audit/audit.service';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { Contract, PasskeyApproval } from '../../contract/contract.entity';
import type { Database } from '../../db/database';
import type { RequestContext } from '../../graphql/context';
import { callerUser } from '../caller';
import { changeBinding, changeTarget, type BoundChange } from './change-binding';
import { PasskeyPurpose } from './passkey.entity';
import type { IssuedChallenge, PasskeyService, VerifiedAssertion } from './passkey.service';
import { extend } from '../../common/extend';

/**
 * 取引認証 for the administrator's risky changes (a new user, a raised limit, the IP allow-list, a
 * payee's destination): whether the contract's rule asks a passkey of this caller, the challenge
 * bound to the exact change, and the assertion checked against the change computed again from the
 * mutation's own arguments. The rule (docs/passkeys.md): REQUIRED — always; OPTIONAL — never;
 * unset — when the caller has registered a passkey (whoever has one confirms with it, so a stolen
 * session and confirmation password are not enough; nobody is stopped for lacking one).
 */
export class ChangePasskeys {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly passkeys: PasskeyService,
  ) {}

  /** The challenge for confirming this change as given. */
  async begin(ctx: RequestContext, change: BoundChange): Promise<IssuedChallenge & { binding: string }> {
    const binding = changeBinding(change);
    return extend(await this.passkeys.challengeFor(ctx, PasskeyPurpose.RISKY_CHANGE, extend(changeTarget(change), { binding })), {
      binding,
    });
  }

  /** Refuses (PASSKEY_REQUIRED, audited) a change without an assertion where the rule asks one; before the confirmation password. */
  async requireIfDue(ctx: RequestContext, change: BoundChange, assertion: string | null | undefined): Promise<void> {
    if (assertion) return;
    const contract = await this.db.manager.findOneByOrFail(Contract, { id: change.contractId });
    const rule = contract.passkeyApproval;
    const required = rule === PasskeyApproval.REQUIRED || (rule === null && (await this.passkeys.hasPasskey(callerUser(ctx).id)));
    if (!required) return;
    const target = changeTarget(change);
    await this.db.transaction((m) =>
      this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PASSKEY_REQUIRED_REFUSED,
        outcome: AuditOutcome.FAILURE,
        contractId: change.contractId,
        target: { type: target.targetType, id: target.targetId },
        detail: { change: change.kind, rule: rule ?? 'HAS_PASSKEY' },
      }),
    );
    throw new DomainError(
      ErrorCode.PASSKEY_REQUIRED,
      'This change takes 取引認証: begin it for a passkey challenge and send the assertion (passkeyAssertion).',
      { field: 'passkeyAssertion' },
    );
  }

  /** The assertion, if given, checked against this change (one made for any other change refuses); after the confirmation password. */
  async verifyIfGiven(ctx: RequestContext, change: BoundChange, assertion: string | null | undefined): Promise<VerifiedAssertion | null> {
    if (!assertion) return null;
    const target = extend(changeTarget(change), { binding: changeBinding(change) });
    return this.passkeys.verifyAssertion(ctx, PasskeyPurpose.RISKY_CHANGE, assertion, target);
  }
}
