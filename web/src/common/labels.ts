/** Japanese names for the API's enums, in one place. */

import type { AuditAction, TransferStatus } from '../graphql/api.generated';

export const ROLE: Record<string, string> = { OPERATOR: '当金庫オペレーター', ADMIN: '管理者', USER: '利用者' };

export const PERMISSION: Record<string, string> = {
  ACCOUNT_INQUIRY: '照会（残高・入出金明細）',
  TRANSFER: '振込（作成）',
  TRANSFER_APPROVAL: '承認',
};

export const PERMISSIONS = ['ACCOUNT_INQUIRY', 'TRANSFER', 'TRANSFER_APPROVAL'] as const;

export const ACCOUNT_TYPE: Record<string, string> = { ORDINARY: '普通', CURRENT: '当座', SAVINGS: '貯蓄' };

/** Typed from the schema's enum: a status added without its label fails the type check. */
export const TRANSFER_STATUS: Record<TransferStatus, string> = {
  PENDING_APPROVAL: '承認待ち',
  SCHEDULED: '予約中',
  EXECUTED: '実行済み',
  FAILED: '振込不能',
  REJECTED: '差戻し',
  CANCELLED: '取消済み',
};

export const DIRECTION: Record<string, string> = { CREDIT: '入金', DEBIT: '出金' };

export const USER_STATUS: Record<string, string> = { ACTIVE: '利用中', SUSPENDED: '利用停止' };

export const CONTRACT_STATUS: Record<string, string> = { ACTIVE: '利用中', STOPPED: '緊急停止中', TERMINATED: '解約済み' };

export const AUDIT_ACTION: Record<AuditAction, string> = {
  ADMINISTRATOR_PASSWORDS_RESET: '管理者パスワード再設定',
  ADMINISTRATOR_REISSUE_AUTHORISED: '管理者証明書再発行の承認',
  AUDIT_LOG_DOWNLOADED: '操作履歴ダウンロード',
  STATEMENT_DOWNLOADED: '入出金明細ダウンロード',
  BULK_TRANSFER_RESULT_DOWNLOADED: '総合振込結果ダウンロード',
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
  EMERGENCY_STOP: '緊急停止',
  ENROLLMENT_CODE_ISSUED: '証明書取得コード発行',
  ENROLLMENT_FAILED: '証明書取得失敗',
  IP_ALLOW_LIST_CHANGED: '接続元IP制限変更',
  LIMITS_CHANGED: '利用限度額変更',
  LOGIN: 'ログイン',
  LOGIN_FAILED: 'ログイン失敗',
  LOGOUT: 'ログアウト',
  OPERATOR_CREATED: 'オペレーター登録',
  OPERATOR_PASSWORDS_RESET: 'オペレーターパスワード再設定',
  PASSWORDS_RESET: 'パスワード再設定（ロック解除）',
  PASSWORD_CHANGED: 'パスワード変更',
  PASSWORD_CHECK_RECLAIMED: 'パスワード照合の回収',
  PERMISSIONS_CHANGED: '業務権限変更',
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
};

export const label = (table: Record<string, string>, value: string): string => table[value] ?? value;
