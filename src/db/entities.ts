import { User } from '../admin/user.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { PasswordHistory } from '../auth/password-history.entity';
import { Session } from '../auth/session.entity';
import { Contract } from '../operator/contract.entity';
import { Certificate } from '../pki/certificate.entity';
import { EnrollmentCode } from '../pki/enrollment-code.entity';
import { RateLimitBucket } from '../common/rate-limit-bucket.entity';

export const entities = [Contract, User, Certificate, AuditEvent, Session, PasswordHistory, EnrollmentCode, RateLimitBucket];
