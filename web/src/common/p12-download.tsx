import { useEffect, useState } from 'preact/hooks';
import { PasswordField } from './ui';

/**
 * The last step of getting or renewing a certificate: the person chooses the .p12 password
 * (asked twice), the page seals the key and certificate with it and offers the file. The key
 * exists only in this page's memory until then.
 */
export function P12Download({ fileName, seal }: { fileName: string; seal: (password: string) => Blob }) {
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  const problem =
    password.length < 8
      ? '.p12ファイルのパスワードは8文字以上にしてください。'
      : password !== repeated
        ? '確認のため入力したパスワードが一致しません。'
        : null;
  return (
    <section class="card" aria-label=".p12ファイルの保存">
      <h2>.p12ファイルの保存</h2>
      <p>
        証明書と秘密鍵を、パスワード付きのファイル（.p12）にまとめて保存します。このパスワードは証明書をパソコンに取り込むときに使います（ログインパスワードとは別のものにしてください）。
      </p>
      <PasswordField label=".p12ファイルのパスワード" value={password} onValue={setPassword} />
      <PasswordField label=".p12ファイルのパスワード（確認）" value={repeated} onValue={setRepeated} />
      {(password || repeated) && problem && <p class="field-error">{problem}</p>}
      {!url ? (
        <button type="button" disabled={problem !== null} onClick={() => setUrl(URL.createObjectURL(seal(password)))}>
          .p12ファイルを作成
        </button>
      ) : (
        <p>
          <a class="button" href={url} download={fileName}>
            {fileName} をダウンロード
          </a>
        </p>
      )}
    </section>
  );
}
