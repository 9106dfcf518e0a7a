import type { User } from '../users/user.entity';
import { addDays, daysUntil } from '../common/clock';
import type { GatewayConfig } from '../config';
import type { Certificate } from '../pki/certificate.entity';
import type { CertificateStatus, PasswordStatus } from './whoami.types';

/** Where the web app does it (its menu: web/src/app/menu.ts), for the warnings below. */
const CHANGE_PASSWORD_PAGE = '設定 › パスワード変更, /#/password';
const RENEW_CERTIFICATE_PAGE = '設定 › 電子証明書, /#/certificate';

/** R11: the login password's expiry as the user is told about it. */
export function passwordStatus(user: User, now: Date, auth: GatewayConfig['auth']): PasswordStatus {
  const expiresAt = addDays(user.loginPasswordChangedAt, auth.passwordMaxAgeDays);
  const daysRemaining = daysUntil(now, expiresAt);
  const expired = expiresAt.getTime() <= now.getTime();
  const temporary = user.loginPasswordTemporary || user.confirmationPasswordTemporary;
  let warning: string | null = null;
  if (temporary) {
    warning = 'Your password was reset. Please change your temporary passwords before continuing (the web app asks for them after login).';
  } else if (expired) {
    warning =
      auth.passwordExpiryMode === 'enforce'
        ? `Your login password has expired. Please change it to continue (web app: ${CHANGE_PASSWORD_PAGE}).`
        : `Your login password has expired. Please change it now (web app: ${CHANGE_PASSWORD_PAGE}).`;
  } else if (daysRemaining < auth.passwordExpiryWarningDays) {
    warning = `Your login password expires in ${daysRemaining} day(s). Please change it (web app: ${CHANGE_PASSWORD_PAGE}).`;
  }
  return { expiresAt, daysRemaining, expired, temporary, warning };
}

/** Whether only a password change (and logout, whoami) is allowed now. */
export function mustChangePassword(user: User, now: Date, auth: GatewayConfig['auth']): boolean {
  const state = passwordStatus(user, now, auth);
  return state.temporary || (state.expired && auth.passwordExpiryMode === 'enforce');
}

/** R14a: how long the certificate stays valid, with a renewal warning ahead of expiry. */
export function certificateStatus(certificate: Certificate, now: Date, pki: GatewayConfig['pki']): CertificateStatus {
  const daysRemaining = daysUntil(now, certificate.notAfter);
  const renewalRecommended = daysRemaining < pki.renewalWarningDays;
  return {
    notAfter: certificate.notAfter,
    daysRemaining,
    renewalRecommended,
    warning: renewalRecommended
      ? `Your certificate expires in ${daysRemaining} day(s). Please renew it before it expires (web app: ${RENEW_CERTIFICATE_PAGE}).`
      : null,
  };
}
