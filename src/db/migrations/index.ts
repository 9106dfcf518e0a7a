import { Foundation1764115200000 } from './1764115200000-foundation';
import { Sessions1764201600000 } from './1764201600000-sessions';
import { Lifecycle1764288000000 } from './1764288000000-lifecycle';
import { Banking1764374400000 } from './1764374400000-banking';
import { PasswordChecks1764460800000 } from './1764460800000-password-checks';
import { RateLimitWindows1764464400000 } from './1764464400000-rate-limit-windows';
import { IdempotencyKeys1764550800000 } from './1764550800000-idempotency-keys';
import { BankDays1764554400000 } from './1764554400000-bank-days';
import { BulkTransfers1764558000000 } from './1764558000000-bulk-transfers';
import { PreviousLogin1764562000000 } from './1764562000000-previous-login';
import { AuditChain1764720000000 } from './1764720000000-audit-chain';
import { AuditRetention1764806400000 } from './1764806400000-audit-retention';
import { AuditChainKey1764892800000 } from './1764892800000-audit-chain-key';
import { TransferDestinations1765000000000 } from './1765000000000-transfer-destinations';
import { Payees1765200000000 } from './1765200000000-payees';
import { SalaryTransfers1765200000001 } from './1765200000001-salary-transfers';
import { Notices1765300000000 } from './1765300000000-notices';
import { OrderHolds1765350000000 } from './1765350000000-order-holds';
import { Passkeys1765400000000 } from './1765400000000-passkeys';
import { Partners1765500000000 } from './1765500000000-partners';
import { OrderPages1765600000000 } from './1765600000000-order-pages';
import { StatementDays1765700000000 } from './1765700000000-statement-days';

/** Every migration, oldest first. A new migration is added here in the change that needs it. */
export const migrations = [
  Foundation1764115200000,
  Sessions1764201600000,
  Lifecycle1764288000000,
  Banking1764374400000,
  PasswordChecks1764460800000,
  RateLimitWindows1764464400000,
  IdempotencyKeys1764550800000,
  BankDays1764554400000,
  BulkTransfers1764558000000,
  PreviousLogin1764562000000,
  AuditChain1764720000000,
  AuditRetention1764806400000,
  AuditChainKey1764892800000,
  TransferDestinations1765000000000,
  Payees1765200000000,
  SalaryTransfers1765200000001,
  Notices1765300000000,
  OrderHolds1765350000000,
  Passkeys1765400000000,
  Partners1765500000000,
  OrderPages1765600000000,
  StatementDays1765700000000,
];
