import type { Logger } from 'pino';
import { AdminService } from './admin/admin.service';
import { loadAuditChainKey } from './audit/audit-chain-key';
import { AuditChainService } from './audit/audit-chain.service';
import { AuditLogService } from './audit/audit-log.service';
import { AuditRetentionService } from './audit/audit-retention.service';
import { AuditService } from './audit/audit.service';
import { AccountService } from './banking/accounts/account.service';
import { StatementFileService } from './banking/accounts/statement-file.service';
import { BankDays } from './banking/calendar/bank-days';
import { BULK_TRANSFER } from './banking/bulk-transfers/bulk-transfer.kind';
import { BulkTransferService } from './banking/bulk-transfers/bulk-transfer.service';
import { LimitService } from './banking/limits/limit.service';
import { IdempotencyKeys } from './banking/orders/idempotency';
import { OrderCreation } from './banking/orders/order-creation';
import { ExecutionDates } from './banking/orders/execution-date';
import { OrderExecution } from './banking/orders/order-execution';
import { OrderService } from './banking/orders/order.service';
import { ApprovalPasskeys } from './banking/orders/approval-passkeys';
import { HoldRules } from './banking/holds/hold-rules';
import { HoldService } from './banking/holds/hold.service';
import { LimitRaises } from './admin/limit-raises';
import { PayeeService } from './banking/payees/payee.service';
import { AuthorizationServer } from './partners/authorization-server';
import { OAuthAdapter } from './partners/oauth-adapter';
import { PartnerService } from './partners/partner.service';
import { PartnerConsentService } from './partners/partner-consent.service';
import { PartnerGrants } from './partners/partner-grants.service';
import { PartnerTokens } from './partners/partner-tokens';
import { SALARY_TRANSFER } from './banking/salary-transfers/salary-transfer.kind';
import { SalaryTransferService } from './banking/salary-transfers/salary-transfer.service';
import { TransferScheduler } from './banking/scheduler/transfer-scheduler';
import { TRANSFER } from './banking/transfers/transfer.kind';
import { TransferService } from './banking/transfers/transfer.service';
import { ClientEnvironmentPolicy } from './auth/client-environment';
import { ConfirmationService } from './auth/confirmation.service';
import { CredentialService } from './auth/credential.service';
import { IdentityService } from './auth/identity.service';
import { LockoutService } from './auth/lockout.service';
import { LoginService } from './auth/login.service';
import { PasswordHasher } from './auth/password-hasher';
import { ChangePasskeys } from './auth/passkeys/change-passkeys';
import { PasskeyChallenges } from './auth/passkeys/passkey-challenges';
import { PasskeyService } from './auth/passkeys/passkey.service';
import { RelyingParty } from './auth/passkeys/relying-party';
import { SessionService } from './auth/session.service';
import type { Clock } from './common/clock';
import { RateLimiter } from './common/rate-limiter';
import type { GatewayConfig } from './config';
import type { Database } from './db/database';
import { bankOfRecord } from './downloads/bank-of-record';
import { ContractStatusService } from './operator/contract-status.service';
import { OperatorService } from './operator/operator.service';
import { CertificateService } from './pki/certificate.service';
import { EnrollmentService } from './pki/enrollment.service';
import { RevocationService } from './pki/revocation.service';
import { NoticeOutbox } from './notices/notice-outbox';
import { NoticeSettingsService } from './notices/notice-settings.service';
import { NoticeSender } from './notices/notice-sender';
import { logTransport, smtpTransport } from './notices/notice-transport';
import { LoginHistoryService } from './auth/login-history.service';
import type { PkiMaterial } from './pki/pki-material';

/** The services of one gateway instance, wired once at start (a plain container). */
export interface Services {
  config: GatewayConfig;
  clock: Clock;
  logger: Logger;
  db: Database;
  pki: PkiMaterial;
  /** The audit key (AUDIT_CHAIN_KEY_PATH): HMACs the audit chain and its checkpoints. */
  auditKey: Buffer;
  audit: AuditService;
  identity: IdentityService;
  passwords: PasswordHasher;
  certificates: CertificateService;
  lockout: LockoutService;
  sessions: SessionService;
  login: LoginService;
  credentials: CredentialService;
  rateLimiter: RateLimiter;
  enrollment: EnrollmentService;
  confirmation: ConfirmationService;
  admin: AdminService;
  operator: OperatorService;
  contractStatus: ContractStatusService;
  revocation: RevocationService;
  auditLog: AuditLogService;
  auditChain: AuditChainService;
  /** Archives, then prunes, events past AUDIT_RETENTION_DAYS (run by the scheduler and `npm run audit:prune`). */
  auditRetention: AuditRetentionService;
  clientEnvironment: ClientEnvironmentPolicy;
  accounts: AccountService;
  /** 入出金明細 as files (CSV, Zengin) for accounting software. */
  statementFiles: StatementFileService;
  /** Payment orders of every kind: reads, approval, rejection, cancellation. */
  orders: OrderService;
  /** Raised user limits waiting LIMIT_RAISE_DELAY_HOURS, applied by the scheduled run. */
  limitRaises: LimitRaises;
  /** 保留中の取引: the bank operator's queue of held orders, released after 本人確認 or cancelled. */
  holds: HoldService;
  /** The day each payment order runs on: a requested date kept or refused, never moved. */
  executionDates: ExecutionDates;
  /** Execution of payment orders, at once and by the scheduled run. */
  orderExecution: OrderExecution;
  /** Creation of each kind of payment order. */
  transfers: TransferService;
  bulkTransfers: BulkTransferService;
  /** 給与・賞与振込. */
  salaryTransfers: SalaryTransferService;
  /** Registered payees (振込先登録). */
  payees: PayeeService;
  /** The WebAuthn relying party (its origin is known once the API listener is bound). */
  relyingParty: RelyingParty;
  /** Passkeys for 取引認証: registration, removal, assertions bound to what is decided. */
  passkeys: PasskeyService;
  /** Executes due scheduled transfers (started and stopped with the gateway). */
  scheduler: TransferScheduler;
  /** The OAuth 2.0 / FAPI 2.0 authorization server for partners (連携先), at /oauth on the API listener. */
  authorizationServer: AuthorizationServer;
  /** Partners (連携先) as the bank registers them. */
  partners: PartnerService;
  /** A customer's consent to a partner. */
  partnerConsent: PartnerConsentService;
  /** 連携先管理: the consents given, revoked and renewed. */
  partnerGrants: PartnerGrants;
  /** The resource server's check of a partner's bearer token, on every partner request to /graphql. */
  partnerTokens: PartnerTokens;
  /** Sends the e-mail notices of the outbox (started and stopped with the gateway). */
  noticeSender: NoticeSender;
  /** ログイン履歴. */
  loginHistory: LoginHistoryService;
  /** Users' e-mail addresses and the contract's e-mail settings. */
  noticeSettings: NoticeSettingsService;
}

export function createServices(config: GatewayConfig, clock: Clock, logger: Logger, db: Database, pki: PkiMaterial): Services {
  const auditKey = loadAuditChainKey(config);
  const audit = new AuditService(clock, auditKey, new NoticeOutbox(config.bank.name));
  const passwords = new PasswordHasher(config.auth.hashConcurrency, config.auth.hashNice, logger);
  const lockout = new LockoutService(db, clock, audit, passwords, config.auth);
  const sessions = new SessionService(db, clock, audit, config.auth);
  const certificates = new CertificateService(db, clock, pki.ca);
  const credentials = new CredentialService(clock, passwords, sessions);
  const rateLimiter = new RateLimiter(db, clock);
  const enrollment = new EnrollmentService(db, clock, audit, pki.ca, certificates, lockout, sessions, rateLimiter, config.pki);
  const confirmation = new ConfirmationService(lockout);
  const idempotency = new IdempotencyKeys(db, clock);
  const limits = new LimitService(clock, { days: config.fraud.initialPeriodDays, dailyLimit: config.fraud.initialPeriodDailyLimit });
  const bankDays = new BankDays(config.transfers.cutoff);
  const executionDates = new ExecutionDates(bankDays, config.transfers.dateHorizonDays);
  const identity = new IdentityService(db, clock);
  const accounts = new AccountService(db);
  const orderExecution = new OrderExecution(db, clock, audit, limits);
  const orderCreation = new OrderCreation(
    db,
    clock,
    audit,
    confirmation,
    limits,
    idempotency,
    bankDays,
    accounts,
    orderExecution,
    executionDates,
    new HoldRules(config.fraud),
  );
  const authorizationServer = new AuthorizationServer(db, auditKey, config.partners.consentDays);
  const partnerGrants = new PartnerGrants(db, clock, audit, confirmation, authorizationServer, config.partners);
  authorizationServer.onGrantRevoked((grantId) =>
    partnerGrants
      .endedByAuthorizationServer(grantId)
      .catch((error: unknown) => logger.error({ err: error }, 'a consent the authorization server ended stays listed')),
  );
  const relyingParty = new RelyingParty(config.passkeys);
  const passkeys = new PasskeyService(
    db,
    clock,
    audit,
    confirmation,
    new PasskeyChallenges(db, clock, config.passkeys.challengeSeconds),
    relyingParty,
  );
  const changePasskeys = new ChangePasskeys(db, audit, passkeys);
  const payees = new PayeeService(db, clock, audit, changePasskeys);
  const approvalPasskeys = new ApprovalPasskeys(db, audit, passkeys, bankDays, config.passkeys.requiredFrom);
  const orders = new OrderService(db, clock, audit, confirmation, limits, bankDays, orderExecution, executionDates, approvalPasskeys);
  const limitRaises = new LimitRaises(db, clock, audit, config.fraud.limitRaiseDelayHours);
  const admin = new AdminService(
    db,
    clock,
    audit,
    confirmation,
    credentials,
    sessions,
    enrollment,
    rateLimiter,
    config,
    limitRaises,
    changePasskeys,
  );
  const auditRetention = new AuditRetentionService(db, clock, logger, config.audit, auditKey);
  const auditChain = new AuditChainService(db, clock, logger, config.audit.archiveDir, auditKey);
  return {
    config,
    clock,
    logger,
    db,
    pki,
    auditKey,
    audit,
    identity,
    passwords,
    certificates,
    lockout,
    sessions,
    login: new LoginService(db, clock, audit, passwords, lockout, sessions, config),
    credentials,
    rateLimiter,
    enrollment,
    confirmation,
    admin,
    operator: new OperatorService(db, clock, audit, confirmation, credentials, enrollment),
    contractStatus: new ContractStatusService(db, clock, audit, confirmation, sessions, certificates),
    revocation: new RevocationService(db, audit, certificates, sessions),
    auditLog: new AuditLogService(db, audit),
    auditChain,
    auditRetention,
    clientEnvironment: new ClientEnvironmentPolicy(db, audit, config.refuseMobileBrowsers),
    accounts,
    statementFiles: new StatementFileService(db, clock, audit, accounts, bankOfRecord(config)),
    orders,
    limitRaises,
    holds: new HoldService(db, clock, audit, confirmation, limits, bankDays, orderExecution, executionDates, orders),
    executionDates,
    orderExecution,
    transfers: new TransferService(orderCreation, payees),
    salaryTransfers: new SalaryTransferService(db, audit, clock, bankDays, executionDates, orderCreation, {
      maxLines: config.transfers.bulkTransferMaxLines,
      submissionBusinessDays: config.transfers.salarySubmissionBusinessDays,
      bank: config.bank,
    }),
    payees,
    relyingParty,
    passkeys,
    bulkTransfers: new BulkTransferService(db, clock, orderCreation, audit, {
      maxLines: config.transfers.bulkTransferMaxLines,
      bank: config.bank,
    }),
    scheduler: new TransferScheduler(
      orderExecution,
      [TRANSFER, BULK_TRANSFER, SALARY_TRANSFER],
      idempotency,
      auditRetention,
      auditChain,
      logger,
      config.transfers.schedulerIntervalSeconds,
      limitRaises,
      [() => OAuthAdapter.purgeExpired(db)],
    ),
    noticeSender: new NoticeSender(
      db,
      clock,
      logger,
      config.notices.smtp ? smtpTransport(config.notices.smtp) : logTransport(logger),
      config.notices,
    ),
    loginHistory: new LoginHistoryService(db),
    noticeSettings: new NoticeSettingsService(db, audit, confirmation, admin),
    authorizationServer,
    partners: new PartnerService(db, clock, audit, confirmation),
    partnerGrants,
    partnerConsent: new PartnerConsentService(
      db,
      clock,
      audit,
      confirmation,
      accounts,
      authorizationServer,
      partnerGrants,
      config.partners,
    ),
    partnerTokens: new PartnerTokens(db, clock, identity, authorizationServer),
  };
}
