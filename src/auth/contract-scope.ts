import { Role } from '../users/user.entity';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { RequestContext } from '../graphql/context';
import { callerContractId, callerUser } from './caller';

/**
 * The one rule for "which contracts may this caller touch?": bank operators any contract; the
 * customer's administrators and users only their own. `@Allow` says who may call an operation;
 * this says on which contract. Services ask here and never decide it with their own `if`.
 */
export function mayTouchAnyContract(ctx: RequestContext): boolean {
  return callerUser(ctx).role === Role.OPERATOR;
}

/**
 * The contract an operation addresses. An operator names it (or, where `optional`, names none:
 * every contract); anyone else gets their own, and naming another one is refused.
 */
export function contractInScope(ctx: RequestContext, requested: number | undefined): number;
export function contractInScope(ctx: RequestContext, requested: number | undefined, options: { optional: true }): number | undefined;
export function contractInScope(
  ctx: RequestContext,
  requested: number | undefined,
  options: { optional?: boolean } = {},
): number | undefined {
  if (mayTouchAnyContract(ctx)) {
    if (requested === undefined && !options.optional) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, 'contractId is required for an operator.', { field: 'contractId' });
    }
    return requested;
  }
  const own = callerContractId(ctx);
  if (requested !== undefined && requested !== own) {
    throw new DomainError(ErrorCode.FORBIDDEN, 'You can act only on your own contract.', { field: 'contractId' });
  }
  return own;
}

/**
 * Refuses a record (a user, a certificate) of a contract outside the caller's scope, with the
 * same answer as for a record that does not exist, so nobody learns what other contracts hold.
 */
export function assertInScope(ctx: RequestContext, contractId: number | null | undefined, notFound: string): void {
  if (mayTouchAnyContract(ctx)) return;
  if (contractId == null || contractId !== callerContractId(ctx)) throw new DomainError(ErrorCode.FORBIDDEN, notFound);
}
