import type { RequestContext } from '../graphql/context';
import { callerUser } from './caller';
import type { LockoutService } from './lockout.service';
import { PasswordKind } from './password-history.entity';

/**
 * The confirmation password (確認用パスワード) that confirms a transfer or an administrative
 * change: the caller's own, checked under the lock rules (a wrong one counts toward the lock).
 */
export class ConfirmationService {
  constructor(private readonly lockout: LockoutService) {}

  async confirm(ctx: RequestContext, confirmationPassword: string): Promise<void> {
    // A partner never holds the person's password: what it creates waits for that person's (or
    // another's) approval in the web app, which is confirmed there (graphql/access.ts keeps
    // partners to the operations of PARTNER_OPERATIONS).
    if (ctx.partner) return;
    return this.lockout.verifyPassword(ctx, callerUser(ctx), PasswordKind.CONFIRMATION, confirmationPassword);
  }
}
