import type { User } from '../users/user.entity';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { RequestContext } from '../graphql/context';
import type { Identity } from './identity.service';

/**
 * Typed access to who is calling (Vendure's `RequestContext.activeUserId`): each getter throws
 * a coded error instead of letting a service write `ctx.identity!`. `@Allow` has already refused
 * a caller without a certificate or session; these make the service say so too.
 */
export function callerIdentity(ctx: RequestContext): Identity {
  if (!ctx.identity) throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'A client certificate is required.');
  return ctx.identity;
}

export function callerUser(ctx: RequestContext): User {
  return callerIdentity(ctx).user;
}

/** The caller's own contract; bank operators have none. */
export function callerContractId(ctx: RequestContext): number {
  const { contractId } = callerUser(ctx);
  if (contractId === null) throw new DomainError(ErrorCode.FORBIDDEN, 'This is for the users of a customer contract.');
  return contractId;
}
