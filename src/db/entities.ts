import { User } from '../admin/user.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { Contract } from '../operator/contract.entity';
import { Certificate } from '../pki/certificate.entity';

export const entities = [Contract, User, Certificate, AuditEvent];
