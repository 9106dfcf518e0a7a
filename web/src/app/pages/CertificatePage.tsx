import { useState } from 'preact/hooks';
import { date, dateTime } from '../../common/format';
import { ImportGuide } from '../../common/import-guide';
import { P12Download } from '../../common/p12-download';
import { ErrorBox, Notice, useAction } from '../../common/ui';
import { gql } from '../../graphql/client';
import { RenewCertificateDocument, type RenewCertificateMutation } from '../../graphql/api.generated';
import type { KeyAndRequest } from '../../pki/keystore';
import type { Me } from '../session';

/** 電子証明書: the certificate in use and, from 30 days before it expires, its renewal in the browser. */
export function CertificatePage({ me }: { me: Me }) {
  const action = useAction();
  const [renewed, setRenewed] = useState<{ issued: RenewCertificateMutation['renewCertificate']; key: KeyAndRequest } | null>(null);
  const [seal, setSeal] = useState<((password: string) => Blob) | null>(null);

  const renew = () =>
    action.run(async () => {
      // The key code (node-forge) loads only on this page.
      const keystore = await import('../../pki/keystore');
      const key = await keystore.makeKeyAndRequest(me.loginId);
      const { renewCertificate } = await gql(RenewCertificateDocument, { csrPem: key.csrPem });
      setRenewed({ issued: renewCertificate, key });
      setSeal(
        () => (password: string) =>
          keystore.pkcs12(key, renewCertificate.certificatePem, renewCertificate.caCertificatePem, password, me.loginId),
      );
    });

  return (
    <section>
      <h1>電子証明書</h1>
      <dl class="card summary">
        <dt>ログインID</dt>
        <dd>{me.loginId}</dd>
        <dt>シリアル番号</dt>
        <dd>{me.certificate.serialNumber}</dd>
        <dt>有効期間</dt>
        <dd>
          {dateTime(me.certificate.notBefore)} 〜 {dateTime(me.certificate.notAfter)}（あと{me.certificateStatus.daysRemaining}日）
        </dd>
      </dl>
      {!renewed && !me.certificateStatus.renewalRecommended && (
        <p>更新は有効期限の30日前からできます。それまではこのままお使いください。</p>
      )}
      {!renewed && me.certificateStatus.renewalRecommended && (
        <div class="card">
          <p>
            電子証明書の有効期限（{date(me.certificateStatus.notAfter)}
            ）が近づいています。このパソコンで新しい鍵を作り、証明書を更新します（鍵はこのパソコンから送信されません）。
          </p>
          <Notice kind="warning">
            更新すると、いまお使いの証明書はすぐに使えなくなります。新しい.p12ファイルを保存してパソコンに取り込み、ブラウザーを開きなおしてからログインしてください。
          </Notice>
          <ErrorBox error={action.error} />
          <button type="button" onClick={renew} disabled={action.busy}>
            {action.busy ? '鍵を作成しています…' : '電子証明書を更新する'}
          </button>
        </div>
      )}
      {renewed && seal && (
        <>
          <Notice kind="success">
            新しい証明書（シリアル番号 {renewed.issued.serialNumber}、{date(renewed.issued.notAfter)}まで）が発行されました。
          </Notice>
          <P12Download fileName={`${me.loginId}.p12`} seal={seal} />
          <ImportGuide fileName={`${me.loginId}.p12`} apiUrl={window.location.origin + '/'} />
        </>
      )}
    </section>
  );
}
