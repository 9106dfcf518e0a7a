import type { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { Database } from '../db/database';
import { lockedMessage } from './locked-message';
import { UserStatus, type User } from '../users/user.entity';
import { ContractStatus, type Contract } from '../contract/contract.entity';
import { Certificate, CertificateStatus } from '../pki/certificate.entity';

/** The user a presented certificate maps to, checked on every request. */
export interface Identity {
  certificate: Certificate;
  user: User;
  contract: Contract | null;
}

export class IdentityService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * One indexed lookup: fingerprint → certificate → user → contract. Runs on every request so
   * that a revocation, lock, suspension or emergency stop takes effect on the very next one,
   * on every gateway instance and on connections that are already open.
   */
  async identify(fingerprint: string): Promise<Identity> {
    const certificate = await this.db.manager
      .createQueryBuilder(Certificate, 'certificate')
      .innerJoinAndSelect('certificate.user', 'user')
      .leftJoinAndSelect('user.contract', 'contract')
      .where('certificate.fingerprint = :fingerprint', { fingerprint })
      .getOne();
    if (!certificate) {
      throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'This certificate is not registered with the bank.');
    }
    const { user } = certificate;
    const contract = user.contract;
    if (certificate.status === CertificateStatus.REVOKED) {
      throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'This certificate has been revoked. Ask your administrator for a new one.');
    }
    if (certificate.notAfter.getTime() <= this.clock.now().getTime()) {
      throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'This certificate has expired. Ask your administrator for a new one.');
    }
    if (contract?.status === ContractStatus.TERMINATED) {
      throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'The contract of this certificate has been terminated.');
    }
    if (contract?.status === ContractStatus.STOPPED) {
      throw new DomainError(
        ErrorCode.CONTRACT_STOPPED,
        'The service for this contract is under an emergency stop. Please contact your branch.',
      );
    }
    if (user.lockedAt) throw new DomainError(ErrorCode.ACCOUNT_LOCKED, lockedMessage(user.role));
    if (user.status === UserStatus.SUSPENDED) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'This user ID has been suspended by your administrator.');
    }
    return { certificate, user, contract };
  }
}
