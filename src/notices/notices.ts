import { AuditAction } from '../audit/audit-action';
import { NoticeTopic } from './notice-topic';

/** What a notice says: its topic (for the contract's e-mail settings), its subject, and its first line. */
export interface NoticeRule {
  topic: NoticeTopic;
  /** The subject's words, e.g. 振込受付 (sent as 【<bank>】振込受付のお知らせ). */
  subject: string;
  /** The event in one sentence, in the body. */
  says: string;
}

const rule = (topic: NoticeTopic, subject: string, says: string): NoticeRule => ({ topic, subject, says });
const { LOGIN, ORDER, CREDENTIAL, LIMIT, EMERGENCY_STOP } = NoticeTopic;

/**
 * THE mapping from audited events to e-mail notices (issue 19, item 2): an audited action listed
 * here is told by e-mail, from the transaction that audits it (notice-outbox.ts). To notify of a
 * new action, audit it and add its line here.
 */
export const NOTICES: Partial<Record<AuditAction, NoticeRule>> = {
  [AuditAction.LOGIN]: rule(LOGIN, 'ログイン', 'ログインがありました。'),
  [AuditAction.TRANSFER_CREATED]: rule(ORDER, '振込受付', '振込を受け付けました。'),
  [AuditAction.TRANSFER_APPROVED]: rule(ORDER, '振込承認', '振込が承認されました。'),
  [AuditAction.TRANSFER_EXECUTED]: rule(ORDER, '振込実行', '振込を実行しました。'),
  [AuditAction.TRANSFER_REJECTED]: rule(ORDER, '振込差戻し', '振込が承認者により差し戻されました。'),
  [AuditAction.TRANSFER_CANCELLED]: rule(ORDER, '振込予約取消', '振込の予約が取り消されました。'),
  [AuditAction.TRANSFER_FAILED]: rule(ORDER, '振込不能', '振込を指定日に実行できませんでした。資金は移動していません。'),
  [AuditAction.BULK_TRANSFER_CREATED]: rule(ORDER, '総合振込受付', '総合振込を受け付けました。'),
  [AuditAction.BULK_TRANSFER_APPROVED]: rule(ORDER, '総合振込承認', '総合振込が承認されました。'),
  [AuditAction.BULK_TRANSFER_EXECUTED]: rule(ORDER, '総合振込実行', '総合振込を実行しました。'),
  [AuditAction.BULK_TRANSFER_REJECTED]: rule(ORDER, '総合振込差戻し', '総合振込が承認者により差し戻されました。'),
  [AuditAction.BULK_TRANSFER_CANCELLED]: rule(ORDER, '総合振込予約取消', '総合振込の予約が取り消されました。'),
  [AuditAction.BULK_TRANSFER_FAILED]: rule(ORDER, '総合振込不能', '総合振込を指定日に実行できませんでした。資金は移動していません。'),
  [AuditAction.SALARY_TRANSFER_CREATED]: rule(ORDER, '給与・賞与振込受付', '給与・賞与振込を受け付けました。'),
  [AuditAction.SALARY_TRANSFER_APPROVED]: rule(ORDER, '給与・賞与振込承認', '給与・賞与振込が承認されました。'),
  [AuditAction.SALARY_TRANSFER_EXECUTED]: rule(ORDER, '給与・賞与振込実行', '給与・賞与振込を実行しました。'),
  [AuditAction.SALARY_TRANSFER_REJECTED]: rule(ORDER, '給与・賞与振込差戻し', '給与・賞与振込が承認者により差し戻されました。'),
  [AuditAction.SALARY_TRANSFER_CANCELLED]: rule(ORDER, '給与・賞与振込予約取消', '給与・賞与振込の予約が取り消されました。'),
  [AuditAction.SALARY_TRANSFER_FAILED]: rule(
    ORDER,
    '給与・賞与振込不能',
    '給与・賞与振込を指定日に実行できませんでした。資金は移動していません。',
  ),
  [AuditAction.ORDER_HELD]: rule(
    ORDER,
    'お取引の保留',
    'お取引を保留しました。当金庫から届出の電話番号にご連絡し、ご本人に確認のうえ実行します。当金庫が暗証番号やパスワードをお尋ねすることはありません。',
  ),
  [AuditAction.ORDER_RELEASED]: rule(ORDER, '保留の解除', '保留していたお取引を、ご本人への確認のうえ解除しました。'),
  [AuditAction.APPROVAL_BINDING_MISMATCH]: rule(
    ORDER,
    '振込不能（承認後の変更）',
    '承認したあとでお取引の内容が変わっていたため、実行しませんでした。資金は移動していません。',
  ),
  [AuditAction.PASSWORD_CHANGED]: rule(CREDENTIAL, 'パスワード変更', 'パスワードが変更されました。'),
  [AuditAction.PASSWORDS_RESET]: rule(CREDENTIAL, 'パスワード再設定', '管理者によりパスワードが再設定されました。'),
  [AuditAction.ADMINISTRATOR_PASSWORDS_RESET]: rule(CREDENTIAL, 'パスワード再設定', '当金庫により管理者のパスワードが再設定されました。'),
  [AuditAction.USER_LOCKED]: rule(CREDENTIAL, '利用停止（パスワード誤り）', 'パスワードの連続誤入力により、利用者IDがロックされました。'),
  [AuditAction.CERTIFICATE_ISSUED]: rule(CREDENTIAL, '電子証明書発行', '電子証明書が発行されました。'),
  [AuditAction.CERTIFICATE_RENEWED]: rule(CREDENTIAL, '電子証明書更新', '電子証明書が更新されました。'),
  [AuditAction.CERTIFICATE_REVOKED]: rule(CREDENTIAL, '電子証明書失効', '電子証明書が失効されました。'),
  [AuditAction.EMAIL_ADDRESS_CHANGED]: rule(CREDENTIAL, 'メールアドレス変更', '通知先のメールアドレスが登録・変更されました。'),
  [AuditAction.PARTNER_CONSENT_GIVEN]: rule(
    CREDENTIAL,
    '連携先への同意',
    '連携先サービスへの同意（口座の照会・振込の作成の許可）がありました。お心当たりがない場合は、連携先管理で解除し、当金庫にご連絡ください。',
  ),
  [AuditAction.PARTNER_CONSENT_REVOKED]: rule(CREDENTIAL, '連携の解除', '連携先サービスへの同意が解除されました。'),
  [AuditAction.PARTNER_CONSENT_RENEWED]: rule(CREDENTIAL, '連携の更新', '連携先サービスへの同意が更新されました。'),
  [AuditAction.PASSKEY_REGISTERED]: rule(
    CREDENTIAL,
    'パスキー登録',
    'パスキー（取引認証）が登録されました。お心当たりのない場合は、お取引店にご連絡ください。',
  ),
  [AuditAction.PASSKEY_REMOVED]: rule(CREDENTIAL, 'パスキー削除', 'パスキー（取引認証）が削除されました。'),
  [AuditAction.LIMIT_RAISE_SCHEDULED]: rule(
    LIMIT,
    '利用限度額引上げの予約',
    '利用限度額の引上げが予約されました。所定の時間が過ぎてから有効になります。お心当たりのない場合は、お取引店にご連絡ください。',
  ),
  [AuditAction.LIMIT_RAISE_EFFECTIVE]: rule(LIMIT, '利用限度額の引上げ', '予約されていた利用限度額の引上げが有効になりました。'),
  [AuditAction.LIMITS_CHANGED]: rule(LIMIT, '利用限度額変更', '利用者の利用限度額が変更されました。'),
  [AuditAction.CONTRACT_LIMITS_CHANGED]: rule(LIMIT, '利用限度額変更', '契約の利用限度額が変更されました。'),
  [AuditAction.EMERGENCY_STOP]: rule(
    EMERGENCY_STOP,
    '緊急停止',
    'ご契約のサービスが緊急停止されました。再開はお取引店にお申し出ください。',
  ),
};
