import { callerContractId, callerUser } from '../auth/caller';
import type { RequestContext } from '../graphql/context';
import { Permission } from '../users/user.entity';

/**
 * Which transfers — single or bulk — a caller may see: their contract's; a maker without
 * TRANSFER_APPROVAL only their own. One rule for the lists, the reads by id and the exports.
 */
export function transfersVisibleTo(ctx: RequestContext): { contractId: number; makerUserId?: number } {
  const user = callerUser(ctx);
  const contractId = callerContractId(ctx);
  return user.permissions.includes(Permission.TRANSFER_APPROVAL) ? { contractId } : { contractId, makerUserId: user.id };
}
