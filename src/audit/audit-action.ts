/**
 * Every action the audit log records, one closed set: a typo cannot create a new action, and
 * clients list the values from the schema (auditEvents(action:)).
 */
export enum AuditAction {
  /** A PIN login opened a session. */
  LOGIN = 'LOGIN',
  /** A wrong login password (PIN). */
  LOGIN_FAILED = 'LOGIN_FAILED',
  /** A wrong confirmation password. */
  CONFIRMATION_PASSWORD_FAILED = 'CONFIRMATION_PASSWORD_FAILED',
  /** A user ID locked after consecutive wrong passwords. */
  USER_LOCKED = 'USER_LOCKED',
  /** Attempt slots of checks that never recorded a result were given back. */
  PASSWORD_CHECK_RECLAIMED = 'PASSWORD_CHECK_RECLAIMED',
  /** A user changed a password. */
  PASSWORD_CHANGED = 'PASSWORD_CHANGED',
  /** A user logged out. */
  LOGOUT = 'LOGOUT',
  /** A session ended by the idle or absolute timeout. */
  SESSION_EXPIRED = 'SESSION_EXPIRED',
  /** A session token was presented with another certificate and was ended. */
  SESSION_CERTIFICATE_MISMATCH = 'SESSION_CERTIFICATE_MISMATCH',
  /** A request refused by the client-environment policy (IP allow-list, phone browser). */
  CLIENT_REFUSED = 'CLIENT_REFUSED',
  /** An administrator created a user. */
  USER_CREATED = 'USER_CREATED',
  /** Business permissions changed. */
  PERMISSIONS_CHANGED = 'PERMISSIONS_CHANGED',
  /** A user’s transfer limits changed. */
  LIMITS_CHANGED = 'LIMITS_CHANGED',
  /** The accounts a user may use (利用口座) changed. */
  USER_ACCOUNTS_CHANGED = 'USER_ACCOUNTS_CHANGED',
  /** An administrator reset a user’s passwords. */
  PASSWORDS_RESET = 'PASSWORDS_RESET',
  /** A user ID suspended. */
  USER_SUSPENDED = 'USER_SUSPENDED',
  /** A suspended user ID resumed. */
  USER_RESUMED = 'USER_RESUMED',
  /** The contract’s IP allow-list changed. */
  IP_ALLOW_LIST_CHANGED = 'IP_ALLOW_LIST_CHANGED',
  /** A certificate enrollment code was issued. */
  ENROLLMENT_CODE_ISSUED = 'ENROLLMENT_CODE_ISSUED',
  /** A certificate enrollment was refused. */
  ENROLLMENT_FAILED = 'ENROLLMENT_FAILED',
  /** A certificate was issued by enrollment. */
  CERTIFICATE_ISSUED = 'CERTIFICATE_ISSUED',
  /** A certificate was renewed. */
  CERTIFICATE_RENEWED = 'CERTIFICATE_RENEWED',
  /** A certificate was revoked. */
  CERTIFICATE_REVOKED = 'CERTIFICATE_REVOKED',
  /** The bank created a contract. */
  CONTRACT_CREATED = 'CONTRACT_CREATED',
  /** The bank changed a contract’s transfer settings. */
  CONTRACT_LIMITS_CHANGED = 'CONTRACT_LIMITS_CHANGED',
  /** A contract was emergency-stopped (緊急停止). */
  EMERGENCY_STOP = 'EMERGENCY_STOP',
  /** The bank resumed a stopped contract. */
  CONTRACT_RESUMED = 'CONTRACT_RESUMED',
  /** The bank terminated a contract. */
  CONTRACT_TERMINATED = 'CONTRACT_TERMINATED',
  /** The bank reset an administrator’s passwords. */
  ADMINISTRATOR_PASSWORDS_RESET = 'ADMINISTRATOR_PASSWORDS_RESET',
  /** An operator reset another operator’s passwords. */
  OPERATOR_PASSWORDS_RESET = 'OPERATOR_PASSWORDS_RESET',
  /** The bank authorised an administrator’s certificate reissue. */
  ADMINISTRATOR_REISSUE_AUTHORISED = 'ADMINISTRATOR_REISSUE_AUTHORISED',
  /** A bank operator was created. */
  OPERATOR_CREATED = 'OPERATOR_CREATED',
  /** A transfer was created. */
  TRANSFER_CREATED = 'TRANSFER_CREATED',
  /** A transfer was approved. */
  TRANSFER_APPROVED = 'TRANSFER_APPROVED',
  /** A transfer was rejected. */
  TRANSFER_REJECTED = 'TRANSFER_REJECTED',
  /** A transfer was executed. */
  TRANSFER_EXECUTED = 'TRANSFER_EXECUTED',
  /** A scheduled transfer could not run on its execution date (no funds, contract stopped); nothing moved. */
  TRANSFER_FAILED = 'TRANSFER_FAILED',
  /** A transfer waiting for approval or for its execution date was cancelled (予約取消) by its maker or the administrator. */
  TRANSFER_CANCELLED = 'TRANSFER_CANCELLED',
  /** A bulk transfer (総合振込) was created: one record for all its lines. */
  BULK_TRANSFER_CREATED = 'BULK_TRANSFER_CREATED',
  /** A bulk transfer was approved. */
  BULK_TRANSFER_APPROVED = 'BULK_TRANSFER_APPROVED',
  /** A bulk transfer was rejected. */
  BULK_TRANSFER_REJECTED = 'BULK_TRANSFER_REJECTED',
  /** A bulk transfer was executed, all its lines. */
  BULK_TRANSFER_EXECUTED = 'BULK_TRANSFER_EXECUTED',
  /** A scheduled bulk transfer could not run on its execution date; no line moved. */
  BULK_TRANSFER_FAILED = 'BULK_TRANSFER_FAILED',
  /** A bulk transfer's result file was downloaded. */
  BULK_TRANSFER_RESULT_DOWNLOADED = 'BULK_TRANSFER_RESULT_DOWNLOADED',
  /** A salary or bonus transfer's result file was downloaded. */
  SALARY_TRANSFER_RESULT_DOWNLOADED = 'SALARY_TRANSFER_RESULT_DOWNLOADED',
  /** A contract's audit log was downloaded (exported). */
  AUDIT_LOG_DOWNLOADED = 'AUDIT_LOG_DOWNLOADED',
  /** An account's statement (入出金明細) was downloaded as a file. */
  STATEMENT_DOWNLOADED = 'STATEMENT_DOWNLOADED',
  /** A bulk transfer waiting for approval or for its execution date was cancelled (予約取消), all lines at once. */
  BULK_TRANSFER_CANCELLED = 'BULK_TRANSFER_CANCELLED',
  /** A salary or bonus transfer (給与・賞与振込) was created: one record for all its lines. */
  SALARY_TRANSFER_CREATED = 'SALARY_TRANSFER_CREATED',
  /** A salary transfer was approved. */
  SALARY_TRANSFER_APPROVED = 'SALARY_TRANSFER_APPROVED',
  /** A salary transfer was rejected. */
  SALARY_TRANSFER_REJECTED = 'SALARY_TRANSFER_REJECTED',
  /** A salary transfer was cancelled (予約取消). */
  SALARY_TRANSFER_CANCELLED = 'SALARY_TRANSFER_CANCELLED',
  /** A salary transfer was executed on its debit date, all its lines. */
  SALARY_TRANSFER_EXECUTED = 'SALARY_TRANSFER_EXECUTED',
  /** A salary transfer could not run on its debit date; no line moved. */
  SALARY_TRANSFER_FAILED = 'SALARY_TRANSFER_FAILED',
  /** A payee was registered (振込先登録). */
  PAYEE_CREATED = 'PAYEE_CREATED',
  /** A registered payee was changed (from, to). */
  PAYEE_CHANGED = 'PAYEE_CHANGED',
  /** A registered payee was deleted. */
  PAYEE_DELETED = 'PAYEE_DELETED',
  /** The bank registered a partner (連携先) as an OAuth client. */
  PARTNER_REGISTERED = 'PARTNER_REGISTERED',
  /** The bank suspended a partner. */
  PARTNER_SUSPENDED = 'PARTNER_SUSPENDED',
  /** The bank resumed a suspended partner. */
  PARTNER_RESUMED = 'PARTNER_RESUMED',
  /** A customer consented to a partner (連携の同意): a grant of the scopes they may give. */
  PARTNER_CONSENT_GIVEN = 'PARTNER_CONSENT_GIVEN',
  /** A customer declined a partner's request on the consent page. */
  PARTNER_CONSENT_DECLINED = 'PARTNER_CONSENT_DECLINED',
  /** A consent to a partner was revoked on 連携先管理, by its giver or the contract's administrator. */
  PARTNER_CONSENT_REVOKED = 'PARTNER_CONSENT_REVOKED',
  /** A consent to a partner was renewed for another PARTNER_CONSENT_DAYS by its giver. */
  PARTNER_CONSENT_RENEWED = 'PARTNER_CONSENT_RENEWED',
  /** A passkey registration was begun (a challenge issued). */
  PASSKEY_REGISTRATION_STARTED = 'PASSKEY_REGISTRATION_STARTED',
  /** A passkey was registered (取引認証). */
  PASSKEY_REGISTERED = 'PASSKEY_REGISTERED',
  /** A passkey registration was refused. */
  PASSKEY_REGISTRATION_FAILED = 'PASSKEY_REGISTRATION_FAILED',
  /** A passkey was removed, by its user or the administrator. */
  PASSKEY_REMOVED = 'PASSKEY_REMOVED',
  /** A passkey challenge for approving one order was issued (bound to the order's binding). */
  PASSKEY_APPROVAL_CHALLENGE_ISSUED = 'PASSKEY_APPROVAL_CHALLENGE_ISSUED',
  /** A passkey assertion for an approval was verified (the approval itself is the kind's *_APPROVED). */
  PASSKEY_ASSERTION_VERIFIED = 'PASSKEY_ASSERTION_VERIFIED',
  /** A passkey assertion was refused (replayed, another order's, changed order, not verified); the reason in the detail. */
  PASSKEY_ASSERTION_FAILED = 'PASSKEY_ASSERTION_FAILED',
  /** An approval without a passkey was refused where the contract's rule requires one. */
  PASSKEY_REQUIRED_REFUSED = 'PASSKEY_REQUIRED_REFUSED',
  /** At execution, the order no longer matched what was approved: it failed instead of running. */
  APPROVAL_BINDING_MISMATCH = 'APPROVAL_BINDING_MISMATCH',
  /** The bank changed a contract's 取引認証 rule for approvals. */
  PASSKEY_POLICY_CHANGED = 'PASSKEY_POLICY_CHANGED',
  /** A user's e-mail address for notices was set, changed or removed (by the user or the administrator). */
  EMAIL_ADDRESS_CHANGED = 'EMAIL_ADDRESS_CHANGED',
  /** The contract's e-mail settings (メール通知設定) changed. */
  NOTICE_SETTINGS_CHANGED = 'NOTICE_SETTINGS_CHANGED',
  /** A payment order was stopped by a fraud-control rule (detail: holdRule) instead of being scheduled; nothing moved. */
  ORDER_HELD = 'ORDER_HELD',
  /** A bank operator released a held order after 本人確認 with the customer (detail: verification, the operator's record). */
  ORDER_RELEASED = 'ORDER_RELEASED',
  /** A raise of a user's transfer limits was set and waits LIMIT_RAISE_DELAY_HOURS (detail: from, to, effectiveAt). */
  LIMIT_RAISE_SCHEDULED = 'LIMIT_RAISE_SCHEDULED',
  /** A waiting raise of a user's transfer limits took effect (detail: from, to). */
  LIMIT_RAISE_EFFECTIVE = 'LIMIT_RAISE_EFFECTIVE',
}
