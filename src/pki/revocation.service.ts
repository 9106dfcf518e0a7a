import { SessionEndReason } from '../auth/session.entity';
import { AuditAction } from '../audit/audit-action';
import type { AuditService } from '../audit/audit.service';
import { auditActor } from '../audit/audit-actor';
import { assertInScope } from '../auth/contract-scope';
import type { SessionService } from '../auth/session.service';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { Certificate, RevocationStatus } from './certificate.entity';
import type { CertificateService } from './certificate.service';

/**
 * R13: revoking a certificate when a PC is lost — by the contract's administrator (its users'
 * certificates) or the bank (any), without a password so that it is instant. Effective on the
 * very next request on every instance: the owner's session ends in the same transaction.
 */
export class RevocationService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly certificates: CertificateService,
    private readonly sessions: SessionService,
  ) {}

  async revoke(ctx: RequestContext, certificateId: number, reason: string): Promise<Certificate> {
    const certificate = await this.db.manager.findOne(Certificate, { where: { id: certificateId }, relations: { user: true } });
    const notFound = 'There is no such certificate in your contract.';
    if (!certificate) throw new DomainError(ErrorCode.FORBIDDEN, notFound);
    assertInScope(ctx, certificate.user.contractId, notFound);
    const alreadyRevoked = () => new DomainError(ErrorCode.BAD_USER_INPUT, 'This certificate is already revoked.');
    if (certificate.status !== RevocationStatus.ACTIVE) throw alreadyRevoked();
    await this.db.transaction(async (m) => {
      // The conditional update decides between concurrent revocations: the loser changes nothing.
      if (!(await this.certificates.revoke(m, certificate.id, reason))) throw alreadyRevoked();
      await this.sessions.endAllForUser(m, certificate.userId, SessionEndReason.CERTIFICATE_REVOKED);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.CERTIFICATE_REVOKED,
        contractId: certificate.user.contractId,
        target: { type: 'Certificate', id: certificate.id },
        detail: { reason, loginId: certificate.user.loginId, serialNumber: certificate.serialNumber },
      });
    });
    return this.db.manager.findOneByOrFail(Certificate, { id: certificate.id });
  }
}
