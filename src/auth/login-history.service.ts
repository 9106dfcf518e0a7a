import { In } from 'typeorm';
import { AuditAction } from '../audit/audit-action';
import { AuditEvent } from '../audit/audit-event.entity';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { callerUser } from './caller';
import { LoginAttemptResult, type LoginRecord } from './login-history.types';

/** ログイン履歴 shows this many of the latest logins. */
export const LOGIN_HISTORY_LENGTH = 20;

/** The audited actions that are logins, and what each says of the attempt. */
const LOGIN_ACTIONS: Partial<Record<AuditAction, LoginAttemptResult>> = {
  [AuditAction.LOGIN]: LoginAttemptResult.SUCCESS,
  [AuditAction.LOGIN_FAILED]: LoginAttemptResult.WRONG_PASSWORD,
  [AuditAction.USER_LOCKED]: LoginAttemptResult.LOCKED,
};

/** ログイン履歴: the caller's own latest logins from the audit log, successes and failures, so a user spots misuse. */
export class LoginHistoryService {
  constructor(private readonly db: Database) {}

  async history(ctx: RequestContext): Promise<LoginRecord[]> {
    const events = await this.db.manager.find(AuditEvent, {
      select: { id: true, occurredAt: true, sourceAddress: true, action: true },
      // The actor index (actorUserId, occurredAt) finds them without reading the contract's other events.
      where: { actorUserId: callerUser(ctx).id, action: In(Object.keys(LOGIN_ACTIONS)) },
      order: { occurredAt: 'DESC', id: 'DESC' },
      take: LOGIN_HISTORY_LENGTH,
    });
    return events.map((event) => ({
      occurredAt: event.occurredAt,
      sourceAddress: event.sourceAddress,
      result: LOGIN_ACTIONS[event.action]!,
    }));
  }
}
