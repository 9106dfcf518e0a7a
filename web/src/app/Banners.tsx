import { date } from '../common/format';
import type { Me } from './session';

/** Password and certificate expiry, said plainly with a link to the page that fixes it (R11). */
export function Banners({ me }: { me: Me }) {
  const password = me.passwordStatus;
  const certificate = me.certificateStatus;
  return (
    <>
      {password.warning !== null && (
        <div class="banner warning" role="alert" data-testid="password-banner">
          {password.expired
            ? `ログインパスワードの有効期限（${date(password.expiresAt)}）が切れています。`
            : `ログインパスワードの有効期限まであと${password.daysRemaining}日です（${date(password.expiresAt)}まで）。`}{' '}
          <a href="#/password">パスワードを変更する（設定 › パスワード変更）</a>
        </div>
      )}
      {certificate.renewalRecommended && (
        <div class="banner warning" role="alert" data-testid="certificate-banner">
          {certificate.daysRemaining > 0
            ? `電子証明書の有効期限まであと${certificate.daysRemaining}日です（${date(certificate.notAfter)}まで）。`
            : '電子証明書の有効期限が近づいています。'}{' '}
          <a href="#/certificate">電子証明書を更新する（設定 › 電子証明書）</a>
        </div>
      )}
    </>
  );
}
