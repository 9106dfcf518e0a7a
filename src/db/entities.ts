import { User } from '../users/user.entity';
import { AuditChainHead } from '../audit/audit-chain-head.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { Account, UserAccount } from '../banking/accounts/account.entity';
import { StatementLine } from '../banking/accounts/statement-line.entity';
import { LimitUsage } from '../banking/limits/limit-usage.entity';
import { Transfer } from '../banking/transfers/transfer.entity';
import { IdempotencyKey } from '../banking/orders/idempotency-key.entity';
import { BulkTransfer, BulkTransferLine } from '../banking/bulk-transfers/bulk-transfer.entity';
import { Payee } from '../banking/payees/payee.entity';
import { SalaryTransfer, SalaryTransferLine } from '../banking/salary-transfers/salary-transfer.entity';
import { PasswordCheck } from '../auth/password-check.entity';
import { PasswordHistory } from '../auth/password-history.entity';
import { Session } from '../auth/session.entity';
import { Passkey, PasskeyChallenge } from '../auth/passkeys/passkey.entity';
import { Contract } from '../contract/contract.entity';
import { Certificate } from '../pki/certificate.entity';
import { EnrollmentCode } from '../pki/enrollment-code.entity';
import { RateLimitBucket } from '../common/rate-limit-bucket.entity';
import { OAuthRecord } from '../partners/oauth-record.entity';
import { Partner } from '../partners/partner.entity';
import { PartnerGrant } from '../partners/partner-grant.entity';
import { Notice } from '../notices/notice.entity';

export const entities = [
  Contract,
  User,
  Certificate,
  AuditEvent,
  AuditChainHead,
  Session,
  PasswordHistory,
  PasswordCheck,
  EnrollmentCode,
  RateLimitBucket,
  Account,
  UserAccount,
  StatementLine,
  Transfer,
  LimitUsage,
  IdempotencyKey,
  BulkTransfer,
  BulkTransferLine,
  Payee,
  SalaryTransfer,
  SalaryTransferLine,
  Partner,
  PartnerGrant,
  OAuthRecord,
  Passkey,
  PasskeyChallenge,
  Notice,
];
