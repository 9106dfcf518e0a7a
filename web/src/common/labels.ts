/**
 * Japanese names for every code the API shows, in one place. Each table is typed from the schema's
 * enum (web/src/graphql/api.generated.ts) or from the server's code lists (codes.generated.ts): a
 * value added on the server without its label here fails `tsc -p web/tsconfig.json`.
 */

import type {
  AccountType,
  AuditAction,
  BulkTransferSource,
  BulkTransferStatus,
  ContractStatus,
  PartnerScope,
  PartnerStatus,
  LoginAttemptResult,
  HoldRule,
  NoticeTopic,
  PasswordKind,
  Permission,
  Role,
  SalaryCategory,
  SalaryTransferStatus,
  StatementDirection,
  TransferStatus,
  UserStatus,
} from '../graphql/api.generated';
import type { LimitKind, PasskeyRefusal, QueryLimit, UnauthenticatedReason, ZenginField } from '../graphql/codes.generated';

export const ROLE: Record<Role, string> = { OPERATOR: '当金庫オペレーター', ADMIN: '管理者', USER: '利用者' };

export const PERMISSION: Record<Permission, string> = {
  ACCOUNT_INQUIRY: '照会（残高・入出金明細）',
  TRANSFER: '振込（作成）',
  TRANSFER_APPROVAL: '承認',
  PAYEE_MANAGEMENT: '振込先登録',
  SALARY_TRANSFER: '給与・賞与振込（作成）',
  SALARY_APPROVAL: '給与・賞与振込（承認）',
};

export const PERMISSIONS = Object.keys(PERMISSION) as Permission[];

/** What a partner (連携先) may do, as the consent page says it. */
export const PARTNER_SCOPE: Record<PartnerScope, string> = {
  ACCOUNT_INFORMATION: '口座の残高・入出金明細の照会',
  PAYMENT_INITIATION: '振込の作成（実行には、この画面とは別に承認が必要です）',
};

export const PARTNER_STATUS: Record<PartnerStatus, string> = { ACTIVE: '利用中', SUSPENDED: '停止中' };

export const ACCOUNT_TYPE: Record<AccountType, string> = { ORDINARY: '普通', CURRENT: '当座', SAVINGS: '貯蓄' };

/** An account as the pages name it: 本店 普通 1234567. */
export function accountText(a: { branchName: string; accountType: AccountType; accountNumber: string }): string {
  return `${a.branchName} ${ACCOUNT_TYPE[a.accountType]} ${a.accountNumber}`;
}

/** The chosen account among those listed, or its id when the caller cannot list accounts (no 照会 right). */
export function chosenAccountText(
  accounts: ReadonlyArray<{ id: number; branchName: string; accountType: AccountType; accountNumber: string }> | null,
  id: string,
): string {
  const account = accounts?.find((a) => String(a.id) === id);
  return account ? accountText(account) : `口座ID ${id}`;
}

export const TRANSFER_STATUS: Record<TransferStatus, string> = {
  PENDING_APPROVAL: '承認待ち',
  HELD: '保留中（当金庫で確認中）',
  SCHEDULED: '予約中（指定日に実行）',
  EXECUTED: '実行済み',
  FAILED: '振込不能',
  REJECTED: '差戻し',
  CANCELLED: '予約取消済み',
};

/** Why an order is held (保留中): said to the customer and to the bank's operator alike. */
export const HOLD_RULE: Record<HoldRule, string> = {
  NEW_PAYEE: '新しい振込先への高額の振込のため',
  USER_VELOCITY: '短時間に多くの振込があったため（利用者）',
  CONTRACT_VELOCITY: '短時間に多くの振込があったため（契約）',
};

export const BULK_TRANSFER_STATUS: Record<BulkTransferStatus, string> = TRANSFER_STATUS;

export const SALARY_TRANSFER_STATUS: Record<SalaryTransferStatus, string> = TRANSFER_STATUS;

/** 給与・賞与振込: which of the two (Zengin 種別コード 11 or 12). */
export const SALARY_CATEGORY: Record<SalaryCategory, string> = { SALARY: '給与', BONUS: '賞与' };

export const BULK_TRANSFER_SOURCE: Record<BulkTransferSource, string> = {
  ZENGIN_FILE: '全銀形式ファイル',
  JSON: '画面・システム連携で入力',
};

export const DIRECTION: Record<StatementDirection, string> = { CREDIT: '入金', DEBIT: '出金' };

export const USER_STATUS: Record<UserStatus, string> = { ACTIVE: '利用中', SUSPENDED: '利用停止' };

export const CONTRACT_STATUS: Record<ContractStatus, string> = { ACTIVE: '利用中', STOPPED: '緊急停止中', TERMINATED: '解約済み' };

export const PASSWORD_KIND: Record<PasswordKind, string> = { LOGIN: 'ログインパスワード', CONFIRMATION: '確認用パスワード' };

/** `limit` of LIMIT_EXCEEDED: which 利用限度額 refused it. */
export const LIMIT_KIND: Record<LimitKind, string> = {
  PER_TRANSFER: '1回あたりの利用限度額',
  USER_DAILY: '1日あたりの利用限度額（利用者）',
  CONTRACT_DAILY: '1日あたりの利用限度額（契約）',
  SALARY_DAILY: '1日あたりの給与・賞与振込限度額（契約）',
};

/** `limit` of a request refused before it ran (query limits). */
export const QUERY_LIMIT: Record<QueryLimit, string> = {
  DEPTH: '照会の階層が深すぎます。',
  ALIASES: '一度に照会する項目が多すぎます。',
  DIRECTIVES: '照会の指定が多すぎます。',
  TOKENS: '照会が長すぎます。',
  COST: '照会が大きすぎます。件数を減らしてください。',
  PASSWORD_CHECKS: 'パスワードの確認は一度に一つだけ行えます。',
  BATCH: '一度に送れる照会の数を超えています。',
};

/** `reason` of UNAUTHENTICATED: why the session is gone. */
export const UNAUTHENTICATED_REASON: Record<UnauthenticatedReason, string> = {
  NO_SESSION: 'ログインしていません。ログインしてください。',
  EXPIRED: '一定時間操作がなかったか、ログインの有効時間が過ぎたため、ログアウトしました。もう一度ログインしてください。',
  REPLACED_BY_NEWER_LOGIN:
    '別の場所で同じIDでログインされました。このパソコンのログインは終了しました。お心当たりがない場合は、すぐに管理者または当金庫にご連絡ください。',
  LOGGED_OUT: 'ログアウトしました。',
  OTHER_CERTIFICATE: '別の電子証明書で使われたため、ログインを終了しました。もう一度ログインしてください。',
  ENDED_BY_ADMINISTRATION:
    '管理者または当金庫の操作（パスワード再設定・利用停止・電子証明書の失効・緊急停止など）により、ログインが終了しました。',
};

/** `field` of a bulk transfer's problems: the item of the record (line) that is wrong. */
export const ZENGIN_FIELD: Record<ZenginField, string> = {
  file: 'ファイル全体',
  lines: '明細全体',
  record: 'レコード',
  recordKind: 'データ区分',
  typeCode: '種別コード',
  codeType: 'コード区分',
  requesterCode: '振込依頼人コード',
  requesterName: '振込依頼人名',
  transferDate: '振込指定日',
  bankCode: '金融機関コード',
  branchCode: '支店番号',
  accountType: '預金種目（科目）',
  accountNumber: '口座番号',
  payeeName: '受取人名',
  amount: '振込金額',
  customerCode1: '顧客コード1',
  customerCode2: '顧客コード2',
  ediInfo: 'EDI情報',
  totalCount: '合計件数',
  totalAmount: '合計金額',
};

/** What each field of a bulk transfer must hold: said with a problem, since the server's sentence is English. */
export const ZENGIN_FIELD_RULE: Record<ZenginField, string> = {
  file: '全銀形式（総合振込・種別コード21、1レコード120バイト、シフトJIS）のファイルを指定してください。',
  lines: '明細を1件以上入力してください。',
  record: '1レコードは120バイトです。改行の位置や文字の種類をご確認ください。',
  recordKind: 'ヘッダー（1）、データ（2）、トレーラー（8）、エンド（9）の順に並べてください。',
  typeCode: '総合振込の種別コードは21です。',
  codeType: 'コード区分は0（シフトJIS）にしてください。',
  requesterCode: '振込依頼人コードは10桁の数字です。',
  requesterName: '振込依頼人名を半角カナで入力してください。',
  transferDate: '振込指定日は、本日以降の営業日を月日4桁（MMDD）で指定してください。',
  bankCode: '金融機関コードは、実在する金融機関の4桁の数字です。',
  branchCode: '支店番号は、その金融機関に実在する支店の3桁の数字です。',
  accountType: '預金種目は1（普通）・2（当座）・4（貯蓄）のいずれかです。',
  accountNumber: '口座番号は7桁の数字です（0000000は使えません）。',
  payeeName: '受取人名は半角30文字以内のカナ・英大文字・数字・記号で入力してください。',
  amount: '振込金額は1円以上9,999,999,999円以下の整数です（合計は999,999,999,999円まで）。',
  customerCode1: '顧客コード1は10桁の数字です。',
  customerCode2: '顧客コード2は10桁の数字です。',
  ediInfo: 'EDI情報は半角20文字以内です。',
  totalCount: 'トレーラーの合計件数をデータレコードの件数と一致させてください。',
  totalAmount: 'トレーラーの合計金額をデータレコードの金額の合計と一致させてください。',
};

/** Where a 給与・賞与振込 file differs from a 総合振込 file: said instead of ZENGIN_FIELD_RULE's words. */
export const SALARY_FILE_RULE: Partial<Record<ZenginField, string>> = {
  file: '全銀形式（給与振込は種別コード11、賞与振込は12、1レコード120バイト、シフトJIS）のファイルを指定してください。',
  typeCode: '給与振込の種別コードは11、賞与振込は12です（総合振込の21は「総合振込の作成」から）。',
  transferDate: '振込指定日（支給日）は、受付期限（所定の営業日前の締切時刻）に間に合う営業日を月日4桁（MMDD）で指定してください。',
};

export const AUDIT_ACTION: Record<AuditAction, string> = {
  ADMINISTRATOR_PASSWORDS_RESET: '管理者パスワード再設定',
  ADMINISTRATOR_REISSUE_AUTHORISED: '管理者証明書再発行の承認',
  AUDIT_LOG_DOWNLOADED: '操作履歴ダウンロード',
  STATEMENT_DOWNLOADED: '入出金明細ダウンロード',
  BULK_TRANSFER_RESULT_DOWNLOADED: '総合振込結果ダウンロード',
  SALARY_TRANSFER_RESULT_DOWNLOADED: '給与・賞与振込結果ダウンロード',
  BULK_TRANSFER_APPROVED: '総合振込承認',
  BULK_TRANSFER_CANCELLED: '総合振込予約取消',
  BULK_TRANSFER_CREATED: '総合振込作成',
  BULK_TRANSFER_EXECUTED: '総合振込実行',
  BULK_TRANSFER_FAILED: '総合振込不能',
  BULK_TRANSFER_REJECTED: '総合振込差戻し',
  CERTIFICATE_ISSUED: '電子証明書発行',
  CERTIFICATE_RENEWED: '電子証明書更新',
  CERTIFICATE_REVOKED: '電子証明書失効',
  CLIENT_REFUSED: '利用環境による拒否',
  CONFIRMATION_PASSWORD_FAILED: '確認用パスワード誤り',
  CONTRACT_CREATED: '契約登録',
  CONTRACT_LIMITS_CHANGED: '契約限度額変更',
  CONTRACT_RESUMED: '利用再開',
  CONTRACT_TERMINATED: '解約',
  EMAIL_ADDRESS_CHANGED: 'メールアドレス変更',
  EMERGENCY_STOP: '緊急停止',
  ENROLLMENT_CODE_ISSUED: '証明書取得コード発行',
  ENROLLMENT_FAILED: '証明書取得失敗',
  IP_ALLOW_LIST_CHANGED: '接続元IP制限変更',
  LIMITS_CHANGED: '利用限度額変更',
  LIMIT_RAISE_EFFECTIVE: '利用限度額の引上げ適用',
  LIMIT_RAISE_SCHEDULED: '利用限度額の引上げ予約',
  LOGIN: 'ログイン',
  LOGIN_FAILED: 'ログイン失敗',
  LOGOUT: 'ログアウト',
  NOTICE_SETTINGS_CHANGED: 'メール通知設定変更',
  OPERATOR_CREATED: 'オペレーター登録',
  ORDER_HELD: '取引保留',
  ORDER_RELEASED: '保留解除（本人確認済み）',
  OPERATOR_PASSWORDS_RESET: 'オペレーターパスワード再設定',
  PASSWORDS_RESET: 'パスワード再設定（ロック解除）',
  PAYEE_CHANGED: '振込先変更',
  PAYEE_CREATED: '振込先登録',
  PAYEE_DELETED: '振込先削除',
  PARTNER_REGISTERED: '連携先登録',
  PARTNER_SUSPENDED: '連携先停止',
  PARTNER_RESUMED: '連携先再開',
  PARTNER_CONSENT_GIVEN: '連携の同意',
  PARTNER_CONSENT_DECLINED: '連携の拒否',
  PARTNER_CONSENT_REVOKED: '連携の解除',
  PARTNER_CONSENT_RENEWED: '連携の更新',
  PASSWORD_CHANGED: 'パスワード変更',
  PASSWORD_CHECK_RECLAIMED: 'パスワード照合の回収',
  PERMISSIONS_CHANGED: '業務権限変更',
  SALARY_TRANSFER_APPROVED: '給与・賞与振込承認',
  SALARY_TRANSFER_CANCELLED: '給与・賞与振込予約取消',
  SALARY_TRANSFER_CREATED: '給与・賞与振込作成',
  SALARY_TRANSFER_EXECUTED: '給与・賞与振込実行',
  SALARY_TRANSFER_FAILED: '給与・賞与振込不能',
  SALARY_TRANSFER_REJECTED: '給与・賞与振込差戻し',
  SESSION_CERTIFICATE_MISMATCH: '証明書不一致によるセッション終了',
  SESSION_EXPIRED: 'セッション期限切れ',
  TRANSFER_APPROVED: '振込承認',
  TRANSFER_CANCELLED: '振込予約取消',
  TRANSFER_CREATED: '振込作成',
  TRANSFER_EXECUTED: '振込実行',
  TRANSFER_FAILED: '振込不能',
  TRANSFER_REJECTED: '振込差戻し',
  USER_ACCOUNTS_CHANGED: '利用口座変更',
  USER_CREATED: '利用者登録',
  USER_LOCKED: 'ロック',
  USER_RESUMED: '利用再開（利用者）',
  USER_SUSPENDED: '利用停止（利用者）',
  PASSKEY_REGISTRATION_STARTED: 'パスキー登録開始',
  PASSKEY_REGISTERED: 'パスキー登録',
  PASSKEY_REGISTRATION_FAILED: 'パスキー登録失敗',
  PASSKEY_REMOVED: 'パスキー削除',
  PASSKEY_APPROVAL_CHALLENGE_ISSUED: '取引認証の開始',
  PASSKEY_ASSERTION_VERIFIED: '取引認証成功',
  PASSKEY_ASSERTION_FAILED: '取引認証失敗',
  PASSKEY_REQUIRED_REFUSED: '取引認証なしの承認拒否',
  APPROVAL_BINDING_MISMATCH: '承認後の内容変更による実行中止',
  PASSKEY_POLICY_CHANGED: '取引認証の設定変更',
};

/** Why a passkey was not accepted (PASSKEY_VERIFICATION_FAILED's reason), as the person is told. */
export const PASSKEY_REFUSAL: Record<PasskeyRefusal, string> = {
  UNKNOWN_CHALLENGE: 'この認証要求は発行されていないか、別の操作のためのものです。',
  CHALLENGE_USED: 'この認証要求はすでに使われています（認証は一度だけ使えます）。',
  CHALLENGE_EXPIRED: '認証要求の有効期限が切れました。',
  OTHER_ORDER: 'この認証は別の振込または別の変更のためのものです。',
  ORDER_CHANGED: '認証した内容と、振込または変更の内容が違います。',
  UNKNOWN_PASSKEY: 'このパスキーはあなたの利用者IDに登録されていません。',
  NOT_VERIFIED: 'パスキーで本人確認できませんでした（指紋・顔・暗証番号などの確認が必要です）。',
  COUNTER: 'パスキーの利用回数が正しくありません（複製や再送の疑い）。',
};

export const LOGIN_RESULT: Record<LoginAttemptResult, string> = {
  SUCCESS: '成功',
  WRONG_PASSWORD: 'ログインパスワード誤り',
  LOCKED: 'ロック（利用停止）',
};

/** メール通知の種類: what each topic of the e-mail settings covers (docs/notices.md). */
export const NOTICE_TOPIC: Record<NoticeTopic, string> = {
  LOGIN: 'ログイン（日時・接続元IPアドレス）',
  ORDER: '振込（受付・承認・実行・差戻し・取消・振込不能・保留）',
  CREDENTIAL: 'パスワード・電子証明書・パスキー・メールアドレスの変更、ロック',
  LIMIT: '利用限度額の変更',
  EMERGENCY_STOP: '緊急停止',
};

export const NOTICE_TOPICS = Object.keys(NOTICE_TOPIC) as NoticeTopic[];

/**
 * A value's label. The tables are exhaustive for the schema the app was built with; a value a newer
 * server sends is shown as 「不明」 rather than as its code.
 */
export const label = <K extends string>(table: Record<K, string>, value: K | string): string => table[value as K] ?? '不明';
