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

  confirm(ctx: RequestContext, confirmationPassword: string): Promise<void> {
    return this.lockout.verifyPassword(ctx, callerUser(ctx), PasswordKind.CONFIRMATION, confirmationPassword);
  }
}
