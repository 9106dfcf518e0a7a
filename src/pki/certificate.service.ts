import { Not, IsNull, type EntityManager } from 'typeorm';
import type { Clock } from '../common/clock';
import type { Database } from '../db/database';
import { certificateFacts, type CertificateAuthority } from './certificate-authority';
import { Certificate, RevocationStatus } from './certificate.entity';
import { extend } from '../common/extend';

const CRL_VALIDITY_MS = 24 * 3600_000;

export class CertificateService {
  private crlCache: { key: string; der: Buffer; generatedAt: number } | null = null;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ca: CertificateAuthority,
  ) {}

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
      { status: RevocationStatus.REVOKED, activeUserId: null, revokedAt: now, revocationReason: 'superseded' },
    );
    const facts = certificateFacts(certificatePem);
    return manager.save(
      manager.create(
        Certificate,
        extend(facts, {
          userId,
          status: RevocationStatus.ACTIVE,
          activeUserId: userId,
          revokedAt: null,
          revocationReason: null,
          createdAt: now,
        }),
      ),
    );
  }

  /** Revokes one certificate; returns false if it was not active. Effective on the next request everywhere. */
  async revoke(manager: EntityManager, certificateId: number, reason: string): Promise<boolean> {
    const result = await manager.update(
      Certificate,
      { id: certificateId, status: RevocationStatus.ACTIVE },
      { status: RevocationStatus.REVOKED, activeUserId: null, revokedAt: this.clock.now(), revocationReason: reason.slice(0, 64) },
    );
    return !!result.affected;
  }

  /** Revokes every active certificate of the given users (termination of a contract). */
  async revokeAllOfUsers(manager: EntityManager, userIds: number[], reason: string): Promise<number> {
    if (userIds.length === 0) return 0;
    const result = await manager
      .createQueryBuilder()
      .update(Certificate)
      .set({ status: RevocationStatus.REVOKED, activeUserId: null, revokedAt: this.clock.now(), revocationReason: reason })
      .where('status = :active AND userId IN (:...userIds)', { active: RevocationStatus.ACTIVE, userIds })
      .execute();
    return result.affected ?? 0;
  }

  /**
   * The CRL, regenerated whenever the set of revoked certificates changes (checked on every
   * request with one small query, so every instance serves the same list).
   */
  async currentCrl(): Promise<Buffer> {
    const revoked = await this.db.manager.find(Certificate, {
      select: { id: true, serialNumber: true, revokedAt: true },
      where: { status: RevocationStatus.REVOKED, revokedAt: Not(IsNull()) },
      order: { id: 'ASC' },
    });
    const key = `${revoked.length}:${revoked.at(-1)?.id ?? 0}`;
    const now = this.clock.now();
    // Also re-signed well before nextUpdate, so a quiet period never leaves a stale CRL.
    if (this.crlCache?.key !== key || now.getTime() - this.crlCache.generatedAt > CRL_VALIDITY_MS / 2) {
      const der = this.ca.signCrl(
        revoked.map((c) => ({ serialNumber: c.serialNumber, revokedAt: c.revokedAt! })),
        now,
        new Date(now.getTime() + CRL_VALIDITY_MS),
        revoked.length + 1,
      );
      this.crlCache = { key, der, generatedAt: now.getTime() };
    }
    return this.crlCache.der;
  }
}
