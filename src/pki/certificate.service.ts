import type { EntityManager } from 'typeorm';
import type { Clock } from '../common/clock';
import { certificateFacts } from './certificate-authority';
import { Certificate, CertificateStatus } from './certificate.entity';

export class CertificateService {
  constructor(private readonly clock: Clock) {}

  /**
   * Records a newly issued certificate as the user's only active one (R2, 1ID・1枚): the previous
   * active certificate is revoked in the same transaction; the unique index on activeUserId
   * refuses a second active certificate should two issuances race.
   */
  async recordIssued(manager: EntityManager, userId: number, certificatePem: string): Promise<Certificate> {
    const now = this.clock.now();
    await manager.update(
      Certificate,
      { activeUserId: userId },
      { status: CertificateStatus.REVOKED, activeUserId: null, revokedAt: now, revocationReason: 'superseded' },
    );
    const facts = certificateFacts(certificatePem);
    return manager.save(
      manager.create(Certificate, {
        ...facts,
        userId,
        status: CertificateStatus.ACTIVE,
        activeUserId: userId,
        revokedAt: null,
        revocationReason: null,
        createdAt: now,
      }),
    );
  }
}
