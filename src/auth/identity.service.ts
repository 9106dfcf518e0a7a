import type { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { Database } from '../db/database';
import type { EntityColumns, PreparedSelect } from '../db/prepared-read';
import { lockedMessage } from './locked-message';
import { User, UserStatus } from '../users/user.entity';
import { Contract, ContractStatus } from '../contract/contract.entity';
import { Certificate, RevocationStatus } from '../pki/certificate.entity';
import { Session } from './session.entity';

/** The user a presented certificate maps to, checked on every request. */
export interface Identity {
  certificate: Certificate;
  user: User;
  contract: Contract | null;
}

/** What a request's certificate maps to, with the session row of the token it presented (null: no token, or no such session). */
export interface RegisteredCaller {
  identity: Identity;
  presentedSession: Session | null;
}

type IdentityColumns = [EntityColumns<Certificate>, EntityColumns<User>, EntityColumns<Contract>];

export class IdentityService {
  private readonly byFingerprint: PreparedSelect<IdentityColumns>;
  private readonly byFingerprintWithSession: PreparedSelect<[...IdentityColumns, EntityColumns<Session>]>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    const certificate = db.columns(Certificate, 'certificate');
    const user = db.columns(User, 'user');
    const contract = db.columns(Contract, 'contract');
    const session = db.columns(Session, 'session');
    // Written once rather than built by TypeORM per request: building and hydrating through the
    // query builder cost more than the indexed lookup itself (bench: whoami). On MySQL/MariaDB
    // the lookups of requests that arrive together share one statement (BatchedSelect).
    const joins =
      ` INNER JOIN ${user.from} ON ${user.column('id')} = ${certificate.column('userId')}` +
      ` LEFT JOIN ${contract.from} ON ${contract.column('id')} = ${user.column('contractId')}`;
    const where = ` WHERE ${certificate.column('fingerprint')} = ?`;
    this.byFingerprint = db.prepareBatchedSelect([certificate, user, contract], `FROM ${certificate.from}${joins}${where}`);
    // A request with a token reads its session in the same statement: one round trip instead of
    // two on MySQL/MariaDB (bench: me, accounts). The session is checked later, by SessionService.
    this.byFingerprintWithSession = db.prepareBatchedSelect(
      [certificate, user, contract, session],
      `FROM ${certificate.from}${joins} LEFT JOIN ${session.from} ON ${session.column('tokenHash')} = ?${where}`,
    );
  }

  /** The certificate with its user and the user's contract (null for the bank's operators), and the token's session row. */
  private async lookup(
    fingerprint: string,
    tokenHash: string | null,
  ): Promise<{ certificate: Certificate; session: Session | null } | null> {
    const [found] =
      tokenHash === null
        ? await this.byFingerprint.rows([fingerprint])
        : await this.byFingerprintWithSession.rows([tokenHash, fingerprint]);
    if (!found) return null;
    const [certificate, user, contract, session = null] = found;
    user!.contract = contract;
    certificate!.user = user!;
    return { certificate: certificate!, session };
  }

  /**
   * One indexed lookup: fingerprint → certificate → user → contract. Runs on every request so
   * that a revocation, lock, suspension or emergency stop takes effect on the very next one,
   * on every gateway instance and on connections that are already open.
   */
  async identify(fingerprint: string): Promise<Identity> {
    const registered = await this.identifyIfRegistered(fingerprint);
    if (!registered) throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'This certificate is not registered with the bank.');
    return registered.identity;
  }

  /**
   * As identify, but null for a certificate of the bank CA that belongs to no user (a partner's).
   * Given the SHA-256 of a presented token, the session row it names comes with the identity.
   */
  async identifyIfRegistered(fingerprint: string, presentedTokenHash: string | null = null): Promise<RegisteredCaller | null> {
    const found = await this.lookup(fingerprint, presentedTokenHash);
    if (!found) return null;
    const { certificate, session } = found;
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
    return { identity: { certificate, user, contract }, presentedSession: session };
  }
}
