import { useState } from 'preact/hooks';
import { dateTime } from '../common/format';
import { ImportGuide } from '../common/import-guide';
import { P12Download } from '../common/p12-download';
import { ErrorBox, Field, Notice, PasswordField, useAction } from '../common/ui';
import { gql } from '../graphql/client';
import { EnrollCertificateDocument, type EnrollCertificateMutation } from '../graphql/enroll.generated';
import { makeKeyAndRequest, pkcs12, type KeyAndRequest } from '../pki/keystore';

/** The API listener's address, told by the gateway in a meta tag (it knows its public URLs). */
function apiUrl(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="cibg-api-url"]')?.content || '/';
}

/**
 * 電子証明書取得: for a person with only a browser and the code from their administrator (or the
 * bank). The key pair and the request are made in this page; only the request is sent.
 */
export function EnrollPage() {
  const [loginId, setLoginId] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [issued, setIssued] = useState<{ certificate: EnrollCertificateMutation['enrollCertificate']; key: KeyAndRequest } | null>(null);
  const action = useAction();

  const submit = async (e: Event) => {
    e.preventDefault();
    const id = loginId.trim();
    const result = await action.run(async () => {
      const key = await makeKeyAndRequest(id);
      const { enrollCertificate } = await gql(EnrollCertificateDocument, {
        loginId: id,
        enrollmentCode: code.trim().toUpperCase(),
        password,
        csrPem: key.csrPem,
      });
      return { certificate: enrollCertificate, key };
    });
    setPassword('');
    if (result) setIssued(result);
  };

  return (
    <div class="frame">
      <header class="top">
        <span class="brand">法人インターネットバンキング 電子証明書取得</span>
      </header>
      <main class="single">
        {!issued ? (
          <section class="card narrow">
            <h1>電子証明書の取得</h1>
            <p>
              インターネットバンキングを使うには、このパソコンに電子証明書が必要です。管理者（管理者の方は当金庫）から受け取った「証明書取得コード」と、ログインID・ログインパスワードを入力してください。
            </p>
            <Notice kind="info">
              このページで鍵を作ります。鍵（秘密鍵）はこのパソコンから送信されません。お使いのパソコン・ブラウザーで取得してください。
            </Notice>
            <form onSubmit={submit}>
              <Field
                label="ログインID"
                value={loginId}
                onValue={setLoginId}
                required
                autocomplete="off"
                autocapitalize="off"
                spellcheck={false}
              />
              <Field
                label="証明書取得コード"
                value={code}
                onValue={setCode}
                required
                autocomplete="off"
                hint="例: K2ST-304V-KG3S-WZAM-EWT1"
              />
              <PasswordField
                label="ログインパスワード"
                value={password}
                onValue={setPassword}
                required
                hint="初めての方は仮ログインパスワード"
              />
              <ErrorBox error={action.error} />
              <button type="submit" disabled={action.busy || !loginId || !code || !password}>
                {action.busy ? '鍵を作成して証明書を申請しています…' : '電子証明書を取得する'}
              </button>
            </form>
            <p class="hint">
              <a href="/ca.pem" download="bank-ca.pem">
                当金庫の認証局証明書（ca.pem）
              </a>
              ：ブラウザーが「安全でない接続」と表示する場合に、当金庫の案内に従って取り込みます。
            </p>
          </section>
        ) : (
          <section>
            <Notice kind="success">
              <p>
                電子証明書が発行されました（ログインID {issued.certificate.loginId}、シリアル番号 {issued.certificate.serialNumber}
                、有効期限 {dateTime(issued.certificate.notAfter)}）。
              </p>
              <p>このページを閉じる前に、.p12ファイルを保存してください。閉じると鍵は失われ、もう一度コードの発行が必要になります。</p>
            </Notice>
            <P12Download
              fileName={`${issued.certificate.loginId}.p12`}
              seal={(p12Password) =>
                pkcs12(
                  issued.key,
                  issued.certificate.certificatePem,
                  issued.certificate.caCertificatePem,
                  p12Password,
                  issued.certificate.loginId,
                )
              }
            />
            <ImportGuide fileName={`${issued.certificate.loginId}.p12`} apiUrl={apiUrl()} />
          </section>
        )}
      </main>
    </div>
  );
}
