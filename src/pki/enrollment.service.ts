import { SessionEndReason } from '../auth/session.entity';
import { AuditAction } from '../audit/audit-action';
import crypto from 'node:crypto';
import { callerIdentity } from '../auth/caller';
import ipaddr from 'ipaddr.js';
import { IsNull, type EntityManager } from 'typeorm';
import { LOGIN_ID_PATTERN } from '../users/user.types';
import { Role, User, UserStatus } from '../users/user.entity';
import { AuditOutcome } from '../audit/audit-event.entity';
import type { AuditService } from '../audit/audit.service';
import { lockedMessage } from '../auth/locked-message';
import type { LockoutService } from '../auth/lockout.service';
import { PasswordKind } from '../auth/password-history.entity';
import type { SessionService } from '../auth/session.service';
import { addDays, daysUntil, type Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { RateLimiter, RateLimitSlot } from '../common/rate-limiter';
import type { GatewayConfig } from '../config';
import type { Database } from '../db/database';
import { type RequestContext } from '../graphql/context';
import { auditActor, auditActorFor } from '../audit/audit-actor';
import { ContractStatus, type Contract } from '../contract/contract.entity';
import type { CertificateAuthority, SubjectName } from './certificate-authority';
import type { Certificate } from './certificate.entity';
import type { CertificateService } from './certificate.service';
import { MAX_CSR_PEM_LENGTH, validateCsr } from './csr';
import { EnrollmentCode } from './enrollment-code.entity';

/** Crockford base32 without look-alikes: 20 symbols × 5 bits = 100 random bits. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 20;

/**
 * Wrong enrollment codes are limited per source, never per login ID: a limit per login ID would
 * let anyone without the code block the person who holds it. A code has 100 random bits, so the
 * limits restrain load, not guessing.
 */
export const WRONG_CODE_LIMITS = {
  windowMs: 15 * 60_000,
  /** Per source address (an IPv6 /64 counts as one source). */
  perSource: 20,
  /** From every source together; it holds back only sources that already sent a wrong code in the window. */
  overall: 1_000,
  overallKey: 'enroll:wrong-codes',
  sourceKey: (source: string) => `enroll:source:${source}`,
};

/**
 * Wrong codes are audited per target, not per attempt: a spray from many addresses would
 * otherwise write a row per attempt into the targeted company's log. In each window, the 1st,
 * 10th, 100th, … wrong code for one login ID (and for login IDs that do not exist, together) is
 * recorded, with the count so far.
 */
export const WRONG_CODE_AUDIT = {
  windowMs: WRONG_CODE_LIMITS.windowMs,
  key: (user: User | null) => `enroll:wrong-code-audit:${user ? `user:${user.id}` : 'unknown'}`,
};

function isPowerOfTen(count: number): boolean {
  return count >= 1 && 10 ** Math.round(Math.log10(count)) === count;
}

/** The longest enrollment code input accepted: 20 symbols, with hyphens or spaces between groups. */
const MAX_CODE_INPUT = 40;
/** The same bound the lockout puts on any password. */
const MAX_PASSWORD_INPUT = 128;
const CODE_INPUT = new RegExp(`^[${CODE_ALPHABET}\\s-]+$`);

export function generateEnrollmentCode(): string {
  const bytes = crypto.randomBytes(CODE_LENGTH);
  const symbols = Array.from(bytes, (b) => CODE_ALPHABET[b & 31]).join('');
  return symbols.match(/.{4}/g)!.join('-');
}

/** The code as people type it, folded: any case, full-width, hyphens and spaces kept. */
function foldEnrollmentCode(code: string): string {
  return code.normalize('NFKC').toUpperCase();
}

/** Accepts the code as people type it: any case, with or without hyphens and spaces, full-width. */
export function hashEnrollmentCode(code: string): string {
  const canonical = foldEnrollmentCode(code).replace(/[\s-]/g, '');
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

/**
 * The source a wrong code is counted against: an IPv4 address, or the /64 of an IPv6 address
 * (the block one subscriber usually holds, so hopping addresses inside it does not help).
 */
export function wrongCodeSourceOf(address: string | null): string {
  try {
    const parsed = ipaddr.process(address ?? ''); // an IPv4-mapped IPv6 address counts as IPv4
    if (parsed.kind() === 'ipv4') return parsed.toString();
    return `${(parsed as ipaddr.IPv6).parts
      .slice(0, 4)
      .map((part) => part.toString(16))
      .join(':')}::/64`;
  } catch {
    return 'unknown';
  }
}

function minutes(seconds: number): string {
  const whole = Math.ceil(seconds / 60);
  return whole === 1 ? '1 minute' : `${whole} minutes`;
}

function badInput(field: string, message: string): never {
  throw new DomainError(ErrorCode.BAD_USER_INPUT, message, { field });
}

/**
 * Shapes and lengths of enrollCertificate's arguments, checked before anything is stored or
 * counted. Returns the login ID as stored (lower case, trimmed).
 */
export function checkEnrollmentInput(loginId: string, code: string, password: string, csrPem: string): string {
  const canonicalLoginId = loginId.trim().toLowerCase();
  if (!LOGIN_ID_PATTERN.test(canonicalLoginId)) {
    badInput('loginId', 'loginId must be 4–32 letters, digits, ".", "_" or "-", starting with a letter or digit.');
  }
  const symbols = code.length <= MAX_CODE_INPUT ? foldEnrollmentCode(code) : '';
  if (!CODE_INPUT.test(symbols) || symbols.replace(/[\s-]/g, '').length !== CODE_LENGTH) {
    badInput(
      'enrollmentCode',
      `enrollmentCode must be the ${CODE_LENGTH}-character code from your administrator or the bank: ` +
        'digits and letters except I, L, O and U; hyphens and spaces between groups are fine.',
    );
  }
  if (password.length < 1 || password.length > MAX_PASSWORD_INPUT)
    badInput('password', `password must have 1 to ${MAX_PASSWORD_INPUT} characters.`);
  checkCsrInput(csrPem);
  return canonicalLoginId;
}

function checkCsrInput(csrPem: string): void {
  if (csrPem.length > MAX_CSR_PEM_LENGTH) badInput('csrPem', `csrPem must have at most ${MAX_CSR_PEM_LENGTH} characters.`);
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
      action: AuditAction.ENROLLMENT_CODE_ISSUED,
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

  private async refuseEnrollment(
    ctx: RequestContext,
    user: User | null,
    reason: string,
    counted?: { wrongCodesInWindow: number; windowEndsAt: string },
  ): Promise<never> {
    await this.db.transaction((m) =>
      this.audit.record(m, user ? auditActorFor(ctx, user) : auditActor(ctx), {
        action: AuditAction.ENROLLMENT_FAILED,
        outcome: AuditOutcome.FAILURE,
        contractId: user?.contractId ?? null,
        target: user ? { type: 'User', id: user.id } : undefined,
        detail: { reason, ...counted },
      }),
    );
    throw this.refusal();
  }

  private refusal(): DomainError {
    return new DomainError(
      ErrorCode.ENROLLMENT_REJECTED,
      'The login ID or enrollment code is not valid, or the code has expired or was used.',
    );
  }

  /** A wrong code: counted for its target, and recorded only at the 1st, 10th, 100th, … of the window (WRONG_CODE_AUDIT). */
  private async refuseWrongCode(ctx: RequestContext, user: User | null): Promise<never> {
    let slot: RateLimitSlot;
    try {
      slot = await this.rateLimiter.take(WRONG_CODE_AUDIT.key(user), WRONG_CODE_AUDIT.windowMs, null, () => '');
    } catch {
      // The count could not be moved (the row kept changing): record this one rather than lose it.
      return this.refuseEnrollment(ctx, user, 'wrong login ID or code');
    }
    const count = slot.takenBefore + 1;
    if (!isPowerOfTen(count)) throw this.refusal();
    return this.refuseEnrollment(ctx, user, 'wrong login ID or code', {
      wrongCodesInWindow: count,
      windowEndsAt: slot.windowEndsAt.toISOString(),
    });
  }

  /**
   * One slot from the source's bucket of wrong codes, then one from the overall bucket, both
   * taken before the code is evaluated (so parallel requests cannot overshoot) and given back if
   * it is right. The overall ceiling holds back only a source that already has a slot taken in
   * the window: a spray from many addresses must not block a clean address with a real code.
   */
  private async takeWrongCodeSlots(ctx: RequestContext): Promise<RateLimitSlot[]> {
    const { windowMs, perSource, overall, overallKey, sourceKey } = WRONG_CODE_LIMITS;
    const fromSource = await this.rateLimiter.take(
      sourceKey(wrongCodeSourceOf(ctx.sourceAddress)),
      windowMs,
      perSource,
      (seconds) => `Too many wrong enrollment codes from your address. Please try again in ${minutes(seconds)}.`,
    );
    try {
      const fromAll = await this.rateLimiter.take(
        overallKey,
        windowMs,
        fromSource.takenBefore > 0 ? overall : null,
        (seconds) => `Too many wrong enrollment codes are being tried. Please try again in ${minutes(seconds)}.`,
      );
      return [fromSource, fromAll];
    } catch (error) {
      await this.rateLimiter.giveBack(fromSource);
      throw error;
    }
  }

  private async giveBackAll(slots: RateLimitSlot[]): Promise<void> {
    for (const slot of slots) await this.rateLimiter.giveBack(slot);
  }

  /**
   * enrollCertificate: the arguments' shapes and the CSR are checked first (nothing stored),
   * then the code, then the login password (counts toward the lock). A wrong code counts only
   * against its source address (and all sources together), never against the login ID, and the
   * refusal is one message for every wrong case, so it reveals no login IDs. Issuing revokes the
   * previous certificate.
   */
  async enroll(
    ctx: RequestContext,
    loginIdInput: string,
    code: string,
    password: string,
    csrPem: string,
  ): Promise<IssuedCertificate & { loginId: string }> {
    const loginId = checkEnrollmentInput(loginIdInput, code, password, csrPem);
    const csr = validateCsr(csrPem);

    const slots = await this.takeWrongCodeSlots(ctx);
    let user: User | null;
    let outstanding: EnrollmentCode | null;
    try {
      // Both looked up whatever the other gives, so timing tells nothing about the login ID.
      [user, outstanding] = await Promise.all([
        this.db.manager.findOne(User, { where: { loginId }, relations: { contract: true } }),
        this.db.manager.findOneBy(EnrollmentCode, { codeHash: hashEnrollmentCode(code), usedAt: IsNull() }),
      ]);
    } catch (error) {
      await this.giveBackAll(slots);
      throw error;
    }
    if (!user || !outstanding || outstanding.outstandingUserId !== user.id) return this.refuseWrongCode(ctx, user);
    // The right code is no guess: it does not count against the address.
    await this.giveBackAll(slots);
    const now = this.clock.now();
    if (outstanding.expiresAt.getTime() <= now.getTime()) return this.refuseEnrollment(ctx, user, 'code expired');
    if (user.status !== UserStatus.ACTIVE) return this.refuseEnrollment(ctx, user, 'user suspended');
    if (user.contract && user.contract.status !== ContractStatus.ACTIVE) {
      throw new DomainError(ErrorCode.CONTRACT_STOPPED, 'The service for this contract is stopped. Please contact your branch.');
    }
    if (user.lockedAt) {
      throw new DomainError(ErrorCode.ACCOUNT_LOCKED, lockedMessage(user.role));
    }
    await this.lockout.verifyPassword(ctx, user, PasswordKind.LOGIN, password);

    const certificatePem = this.ca.issueClientCertificate(
      csr.spkiDer,
      this.subjectFor(user, user.contract),
      now,
      this.pki.certificateValidityDays,
    );
    const certificate = await this.db.transaction(async (m) => {
      const used = await m.update(EnrollmentCode, { id: outstanding.id, usedAt: IsNull() }, { usedAt: now, outstandingUserId: null });
      if (!used.affected) throw new DomainError(ErrorCode.ENROLLMENT_REJECTED, 'This enrollment code has already been used.');
      const issued = await this.certificates.recordIssued(m, user.id, certificatePem);
      await this.sessions.endAllForUser(m, user.id, SessionEndReason.CERTIFICATE_REISSUED);
      await this.audit.record(m, auditActorFor(ctx, user), {
        action: AuditAction.CERTIFICATE_ISSUED,
        target: { type: 'Certificate', id: issued.id },
        detail: { via: 'enrollment', serialNumber: issued.serialNumber, key: csr.keyDescription },
      });
      return issued;
    });
    return { certificate, certificatePem, keyDescription: csr.keyDescription, loginId: user.loginId };
  }

  /** renewCertificate: a logged-in user inside the renewal window replaces the certificate atomically. */
  async renew(ctx: RequestContext, csrPem: string): Promise<IssuedCertificate> {
    const { user, contract, certificate: current } = callerIdentity(ctx);
    const now = this.clock.now();
    const daysLeft = daysUntil(now, current.notAfter);
    if (daysLeft >= this.pki.renewalWarningDays) {
      throw new DomainError(
        ErrorCode.ENROLLMENT_REJECTED,
        `Renewal opens ${this.pki.renewalWarningDays} days before the certificate expires (${daysLeft} days remain).`,
      );
    }
    checkCsrInput(csrPem);
    const csr = validateCsr(csrPem);
    const certificatePem = this.ca.issueClientCertificate(
      csr.spkiDer,
      this.subjectFor(user, contract),
      now,
      this.pki.certificateValidityDays,
    );
    const certificate = await this.db.transaction(async (m) => {
      const issued = await this.certificates.recordIssued(m, user.id, certificatePem);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.CERTIFICATE_RENEWED,
        target: { type: 'Certificate', id: issued.id },
        detail: { previousSerialNumber: current.serialNumber, serialNumber: issued.serialNumber, key: csr.keyDescription },
      });
      return issued;
    });
    return { certificate, certificatePem, keyDescription: csr.keyDescription };
  }
}
