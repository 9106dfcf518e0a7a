import type { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { Database } from '../db/database';
import type { EntityColumns, PreparedSelect } from '../db/prepared-read';
import { lockedMessage } from './locked-message';
import { User, UserStatus } from '../users/user.entity';
import { Contract, ContractStatus } from '../contract/contract.entity';
import { Certificate, RevocationStatus } from '../pki/certificate.entity';

/** The user a presented certificate maps to, checked on every request. */
export interface Identity {
  certificate: Certificate;
  user: User;
  contract: Contract | null;
}

export class IdentityService {
  private readonly byFingerprint: PreparedSelect<[EntityColumns<Certificate>, EntityColumns<User>, EntityColumns<Contract>]>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    const certificate = db.columns(Certificate, 'certificate');
    const user = db.columns(User, 'user');
    const contract = db.columns(Contract, 'contract');
    // Written once rather than built by TypeORM per request: building and hydrating through the
    // query builder cost more than the indexed lookup itself (bench: whoami).
    this.byFingerprint = db.prepareSelect(
      [certificate, user, contract] as const,
      `FROM ${certificate.from}` +
        ` INNER JOIN ${user.from} ON ${user.column('id')} = ${certificate.column('userId')}` +
        ` LEFT JOIN ${contract.from} ON ${contract.column('id')} = ${user.column('contractId')}` +
        ` WHERE ${certificate.column('fingerprint')} = ?`,
    );
  }

  /** The certificate with its user and the user's contract (null for the bank's operators). */
  private async lookup(fingerprint: string): Promise<Certificate | null> {
    const [found] = await this.byFingerprint.rows([fingerprint]);
    if (!found) return null;
    const [certificate, user, contract] = found;
    user!.contract = contract;
    certificate!.user = user!;
    return certificate;
  }

  /**
   * One indexed lookup: fingerprint → certificate → user → contract. Runs on every request so
   * that a revocation, lock, suspension or emergency stop takes effect on the very next one,
   * on every gateway instance and on connections that are already open.
   */
  async identify(fingerprint: string): Promise<Identity> {
    const identity = await this.identifyIfRegistered(fingerprint);
    if (!identity) throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'This certificate is not registered with the bank.');
    return identity;
  }

  /** As identify, but null for a certificate of the bank CA that belongs to no user (a partner's). */
  async identifyIfRegistered(fingerprint: string): Promise<Identity | null> {
    const certificate = await this.lookup(fingerprint);
    if (!certificate) return null;
    const { user } = certificate;
    const contract = user.contract;
    if (certificate.status === RevocationStatus.REVOKED) {
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
