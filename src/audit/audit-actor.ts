import type { RequestContext } from '../graphql/context';
import type { AuditActor } from './audit.service';

/** The actor when the request acts for a user it is not identified as (enrollment: no certificate yet). */
export function auditActorFor(
  ctx: Pick<RequestContext, 'peer' | 'sourceAddress'>,
  user: { id: number; loginId: string; contractId: number | null },
): AuditActor {
  return {
    userId: user.id,
    loginId: user.loginId,
    contractId: user.contractId,
    certificateFingerprint: ctx.peer?.fingerprint ?? null,
    sourceAddress: ctx.sourceAddress,
  };
}

export function auditActor(ctx: RequestContext): AuditActor {
  const partner = ctx.partner?.partner;
  return {
    userId: ctx.identity?.user.id ?? null,
    loginId: ctx.identity?.user.loginId ?? null,
    contractId: ctx.identity?.user.contractId ?? null,
    // A partner's request: its own certificate, and the partner named in the event.
    certificateFingerprint: ctx.peer?.fingerprint ?? null,
    sourceAddress: ctx.sourceAddress,
    ...(partner ? { partner: { id: partner.id, clientId: partner.clientId, name: partner.name, grantId: ctx.partner!.grant.id } } : {}),
  };
}

/** The actor of work the gateway does on its own schedule (a transfer run on its execution date): no user, certificate or address. */
export function systemActor(contractId: number | null): AuditActor {
  return { userId: null, loginId: null, contractId, certificateFingerprint: null, sourceAddress: null };
}
