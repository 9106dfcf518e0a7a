import crypto from 'node:crypto';
import { IsNull, type EntityManager } from 'typeorm';
import { Role, User, UserStatus } from '../admin/user.entity';
import { AuditOutcome } from '../audit/audit-event.entity';
import type { AuditService } from '../audit/audit.service';
import { lockedMessage, type LockoutService } from '../auth/lockout.service';
import { PasswordKind } from '../auth/password-history.entity';
import type { SessionService } from '../auth/session.service';
import { addDays, daysUntil, type Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { RateLimiter } from '../common/rate-limiter';
import type { GatewayConfig } from '../config';
import type { Database } from '../db/database';
import { auditActor, auditActorFor, type RequestContext } from '../graphql/context';
import { ContractStatus, type Contract } from '../operator/contract.entity';
import type { CertificateAuthority, SubjectName } from './certificate-authority';
import type { Certificate } from './certificate.entity';
import type { CertificateService } from './certificate.service';
import { validateCsr } from './csr';
import { EnrollmentCode } from './enrollment-code.entity';

/** Crockford base32 without look-alikes: 20 symbols × 5 bits = 100 random bits. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 20;
const WRONG_CODE_WINDOW_MS = 15 * 60_000;
const WRONG_CODES_PER_LOGIN_ID = 5;
const WRONG_CODES_PER_ADDRESS = 20;

export function generateEnrollmentCode(): string {
  const bytes = crypto.randomBytes(CODE_LENGTH);
  const symbols = Array.from(bytes, (b) => CODE_ALPHABET[b & 31]).join('');
  return symbols.match(/.{4}/g)!.join('-');
}

/** Accepts the code as people type it: any case, with or without hyphens and spaces, full-width. */
export function hashEnrollmentCode(code: string): string {
  const canonical = code.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

export interface IssuedEnrollmentCode {
  code: string;
  expiresAt: Date;
}

export interface IssuedCertificate {
  certificate: Certificate;
  certificatePem: string;
  keyDescription: string;
}

/** R12, R14a: certificate acquisition (電子証明書取得) with one-time codes, and renewal. */
export class EnrollmentService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly ca: CertificateAuthority,
    private readonly certificates: CertificateService,
    private readonly lockout: LockoutService,
    private readonly sessions: SessionService,
    private readonly rateLimiter: RateLimiter,
    private readonly pki: GatewayConfig['pki'],
  ) {}

  /** A new single-use code for `user`, replacing any outstanding one. Shown once; stored hashed. */
  async issueCode(m: EntityManager, ctx: RequestContext, user: User): Promise<IssuedEnrollmentCode> {
    const now = this.clock.now();
    const code = generateEnrollmentCode();
    const expiresAt = addDays(now, this.pki.enrollmentCodeValidityDays);
    await m.update(EnrollmentCode, { outstandingUserId: user.id }, { outstandingUserId: null });
    await m.insert(EnrollmentCode, {
      userId: user.id,
      codeHash: hashEnrollmentCode(code),
      issuedByUserId: ctx.identity?.user.id ?? null,
      createdAt: now,
      expiresAt,
      usedAt: null,
      outstandingUserId: user.id,
    });
    await this.audit.record(m, auditActor(ctx), {
      action: 'ENROLLMENT_CODE_ISSUED',
      contractId: user.contractId,
      target: { type: 'User', id: user.id },
      detail: { loginId: user.loginId, expiresAt: expiresAt.toISOString() },
    });
    return { code, expiresAt };
  }

  private subjectFor(user: User, contract: Contract | null): SubjectName {
    return user.role === Role.OPERATOR || !contract
      ? { commonName: user.loginId, organization: 'Bank operators', organizationalUnit: 'Operators' }
      : { commonName: user.loginId, organization: 'Corporate customers', organizationalUnit: contract.code };
  }

  private async refuseEnrollment(ctx: RequestContext, user: User | null, reason: string): Promise<never> {
    await this.db.transaction((m) =>
      this.audit.record(m, user ? auditActorFor(ctx, user) : auditActor(ctx), {
        action: 'ENROLLMENT_FAILED',
        outcome: AuditOutcome.FAILURE,
        contractId: user?.contractId ?? null,
        target: user ? { type: 'User', id: user.id } : undefined,
        detail: { reason },
      }),
    );
    throw new DomainError(ErrorCode.ENROLLMENT_REJECTED, 'The login ID or enrollment code is not valid, or the code has expired or was used.');
  }

  /**
   * enrollCertificate: the CSR is checked first (no state), then the code (rate-limited per
   * login ID and per address; one message for every wrong case, so it reveals no login IDs),
   * then the login password (counts toward the lock). Issuing revokes the previous certificate.
   */
  async enroll(ctx: RequestContext, loginId: string, code: string, password: string, csrPem: string): Promise<IssuedCertificate> {
    const csr = validateCsr(csrPem);
    const tooMany = 'Too many enrollment attempts. Please wait 15 minutes and try again.';
    await this.rateLimiter.hit(`enroll:login:${loginId.toLowerCase()}`, WRONG_CODES_PER_LOGIN_ID, WRONG_CODE_WINDOW_MS, tooMany);
    await this.rateLimiter.hit(`enroll:address:${ctx.sourceAddress}`, WRONG_CODES_PER_ADDRESS, WRONG_CODE_WINDOW_MS, tooMany);

    const user = await this.db.manager.findOne(User, { where: { loginId }, relations: { contract: true } });
    const now = this.clock.now();
    const outstanding = user
      ? await this.db.manager.findOneBy(EnrollmentCode, { outstandingUserId: user.id, codeHash: hashEnrollmentCode(code), usedAt: IsNull() })
      : null;
    if (!user || !outstanding) return this.refuseEnrollment(ctx, user, 'wrong login ID or code');
    if (outstanding.expiresAt.getTime() <= now.getTime()) return this.refuseEnrollment(ctx, user, 'code expired');
    if (user.status !== UserStatus.ACTIVE) return this.refuseEnrollment(ctx, user, 'user suspended');
    if (user.contract && user.contract.status !== ContractStatus.ACTIVE) {
      throw new DomainError(ErrorCode.CONTRACT_STOPPED, 'The service for this contract is stopped. Please contact your branch.');
    }
    if (user.lockedAt) {
      throw new DomainError(ErrorCode.ACCOUNT_LOCKED, lockedMessage(user.role));
    }
    await this.lockout.verifyPassword(ctx, user, PasswordKind.LOGIN, password);

    const certificatePem = this.ca.issueClientCertificate(csr.spkiDer, this.subjectFor(user, user.contract), now, this.pki.certificateValidityDays);
    const certificate = await this.db.transaction(async (m) => {
      const used = await m.update(EnrollmentCode, { id: outstanding.id, usedAt: IsNull() }, { usedAt: now, outstandingUserId: null });
      if (!used.affected) throw new DomainError(ErrorCode.ENROLLMENT_REJECTED, 'This enrollment code has already been used.');
      const issued = await this.certificates.recordIssued(m, user.id, certificatePem);
      await this.sessions.endAllForUser(m, user.id, 'certificate_reissued');
      await this.audit.record(m, auditActorFor(ctx, user), {
        action: 'CERTIFICATE_ISSUED',
        target: { type: 'Certificate', id: issued.id },
        detail: { via: 'enrollment', serialNumber: issued.serialNumber, key: csr.keyDescription },
      });
      return issued;
    });
    return { certificate, certificatePem, keyDescription: csr.keyDescription };
  }

  /** renewCertificate: a logged-in user inside the renewal window replaces the certificate atomically. */
  async renew(ctx: RequestContext, csrPem: string): Promise<IssuedCertificate> {
    const { user, contract, certificate: current } = ctx.identity!;
    const now = this.clock.now();
    const daysLeft = daysUntil(now, current.notAfter);
    if (daysLeft >= this.pki.renewalWarningDays) {
      throw new DomainError(
        ErrorCode.ENROLLMENT_REJECTED,
        `Renewal opens ${this.pki.renewalWarningDays} days before the certificate expires (${daysLeft} days remain).`,
      );
    }
    const csr = validateCsr(csrPem);
    const certificatePem = this.ca.issueClientCertificate(csr.spkiDer, this.subjectFor(user, contract), now, this.pki.certificateValidityDays);
    const certificate = await this.db.transaction(async (m) => {
      const issued = await this.certificates.recordIssued(m, user.id, certificatePem);
      await this.audit.record(m, auditActor(ctx), {
        action: 'CERTIFICATE_RENEWED',
        target: { type: 'Certificate', id: issued.id },
        detail: { previousSerialNumber: current.serialNumber, serialNumber: issued.serialNumber, key: csr.keyDescription },
      });
      return issued;
    });
    return { certificate, certificatePem, keyDescription: csr.keyDescription };
  }
}
