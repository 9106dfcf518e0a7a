import { AuditAction } from '../audit/audit-action';
import crypto from 'node:crypto';
import { callerIdentity } from './caller';
import { IsNull, type EntityManager } from 'typeorm';
import { AuditOutcome } from '../audit/audit-event.entity';
import type { AuditActor, AuditService } from '../audit/audit.service';
import type { Clock } from '../common/clock';
import { DomainError, UnauthenticatedReason } from '../common/domain-error';
import type { GatewayConfig } from '../config';
import type { Database } from '../db/database';
import type { PeerCertificate, RequestContext } from '../graphql/context';
import { auditActor, auditActorFor } from '../audit/audit-actor';
import type { Identity } from './identity.service';
import { Session, SessionEndReason } from './session.entity';
import { REASON_TOLD, unauthenticated } from './session-end';

/** Writing lastSeenAt on every request would cost a write per read; this often is enough for idle timeouts. */
const TOUCH_INTERVAL_MS = 10_000;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export interface SessionResolution {
  session: Session | null;
  /** Why a presented token did not give a session (shown when an operation needs one). */
  problem: DomainError | null;
}

/** The request a token is checked for: its certificate, the user that certificate belongs to, and where it came from. */
export interface SessionCaller {
  peer: PeerCertificate;
  identity: Identity;
  sourceAddress: string | null;
}

/**
 * R3 and DESIGN.md §4: one PIN session per user, valid only on a connection that presents the
 * certificate it was created on, with idle and absolute timeouts.
 */
export class SessionService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly auth: GatewayConfig['auth'],
  ) {}

  /** Opens a session for the request's certificate, ending the user's previous one. Returns the token once. */
  async open(m: EntityManager, ctx: RequestContext): Promise<{ token: string; session: Session }> {
    const { user, certificate } = callerIdentity(ctx);
    const now = this.clock.now();
    await m.update(Session, { activeUserId: user.id }, { endedAt: now, endReason: SessionEndReason.REPLACED, activeUserId: null });
    const token = crypto.randomBytes(32).toString('base64url');
    const session = await m.save(
      m.create(Session, {
        tokenHash: hashToken(token),
        userId: user.id,
        certificateFingerprint: certificate.fingerprint,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + this.auth.sessionAbsoluteHours * 3600_000),
        endedAt: null,
        endReason: null,
        activeUserId: user.id,
      }),
    );
    return { token, session };
  }

  idleExpiry(session: Session): Date {
    return new Date(session.lastSeenAt.getTime() + this.auth.sessionIdleMinutes * 60_000);
  }

  /**
   * Looks the presented token up and checks it against this connection's certificate and the
   * timeouts: a step of building the request context (src/server/request-steps.ts), before there is one.
   * `session` is the row whose token hash is the presented token's, read with the identity in one
   * statement (IdentityService.identifyIfRegistered), or null.
   */
  async resolve(caller: SessionCaller, presentedToken: string | null, session: Session | null): Promise<SessionResolution> {
    if (!presentedToken) return { session: null, problem: null };
    const actor = auditActorFor(caller, caller.identity.user);
    const now = this.clock.now();
    if (!session) return { session: null, problem: unauthenticated(UnauthenticatedReason.NO_SESSION) };
    if (session.endedAt) return { session: null, problem: unauthenticated(REASON_TOLD[session.endReason ?? SessionEndReason.LOGOUT]) };
    if (session.certificateFingerprint !== caller.identity.certificate.fingerprint || session.userId !== caller.identity.user.id) {
      // A token replayed from another PC or by another user: end it, so the thief's copy is worthless too.
      await this.end(actor, session, SessionEndReason.CERTIFICATE_MISMATCH, AuditAction.SESSION_CERTIFICATE_MISMATCH);
      return { session: null, problem: unauthenticated(UnauthenticatedReason.OTHER_CERTIFICATE) };
    }
    if (session.expiresAt.getTime() <= now.getTime()) {
      await this.end(actor, session, SessionEndReason.ABSOLUTE_TIMEOUT, AuditAction.SESSION_EXPIRED);
      return { session: null, problem: unauthenticated(UnauthenticatedReason.EXPIRED, 'Your session has expired. Please log in again.') };
    }
    if (this.idleExpiry(session).getTime() <= now.getTime()) {
      await this.end(actor, session, SessionEndReason.IDLE_TIMEOUT, AuditAction.SESSION_EXPIRED);
      return { session: null, problem: unauthenticated(UnauthenticatedReason.EXPIRED, 'Your session timed out. Please log in again.') };
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      await this.db.transaction((m) => m.update(Session, { id: session.id, endedAt: IsNull() }, { lastSeenAt: now }));
      session.lastSeenAt = now;
    }
    return { session, problem: null };
  }

  /** Ends the user's open session, inside the caller's transaction (reset, suspension, revocation). */
  async endAllForUser(m: EntityManager, userId: number, reason: SessionEndReason): Promise<void> {
    await m.update(Session, { activeUserId: userId }, { endedAt: this.clock.now(), endReason: reason, activeUserId: null });
  }

  /** Ends every open session of a contract's users (emergency stop, termination). */
  async endAllForContract(m: EntityManager, contractId: number, reason: SessionEndReason): Promise<void> {
    const userIds = m.createQueryBuilder().subQuery().select('u.id').from('users', 'u').where('u.contractId = :contractId').getQuery();
    await m
      .createQueryBuilder()
      .update(Session)
      .set({ endedAt: this.clock.now(), endReason: reason, activeUserId: null })
      .where(`activeUserId IN ${userIds}`, { contractId })
      .execute();
  }

  async logout(ctx: RequestContext, session: Session): Promise<void> {
    await this.end(auditActor(ctx), session, SessionEndReason.LOGOUT, AuditAction.LOGOUT);
  }

  /** Ends an open session (no-op if another request already ended it) and audits why. */
  private async end(actor: AuditActor, session: Session, reason: SessionEndReason, action: AuditAction): Promise<void> {
    await this.db.transaction(async (m) => {
      const result = await m.update(
        Session,
        { id: session.id, endedAt: IsNull() },
        { endedAt: this.clock.now(), endReason: reason, activeUserId: null },
      );
      if (!result.affected) return;
      await this.audit.record(m, actor, {
        action,
        outcome: reason === SessionEndReason.CERTIFICATE_MISMATCH ? AuditOutcome.FAILURE : AuditOutcome.SUCCESS,
        target: { type: 'Session', id: session.id },
        detail: { reason, sessionUserId: session.userId },
      });
    });
  }
}
