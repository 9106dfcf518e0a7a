/** How to import the downloaded .p12 into the PC's certificate store, step by step. */
export function ImportGuide({ fileName, apiUrl }: { fileName: string; apiUrl: string }) {
  return (
    <section class="import-guide" aria-label="電子証明書のインポート手順">
      <h2>電子証明書のインポート手順</h2>
      <p>
        ダウンロードした <code>{fileName}</code>{' '}
        をパソコンの証明書ストアに取り込みます。取り込みのときに、先ほど決めた.p12ファイルのパスワードを入力します。
      </p>
      <details open>
        <summary>Windows（Microsoft Edge・Google Chrome）</summary>
        <ol>
          <li>
            <code>{fileName}</code> をダブルクリックします（または「ファイル名を指定して実行」で <code>certmgr.msc</code>{' '}
            を開き、「個人」→「証明書」を右クリック→「すべてのタスク」→「インポート」）。
          </li>
          <li>「証明書のインポート ウィザード」で保存場所に「現在のユーザー」を選び、「次へ」を押します。</li>
          <li>.p12ファイルのパスワードを入力します。「このキーをエクスポート可能にする」はチェックしないでください。</li>
          <li>「証明書の種類に基づいて、自動的に証明書ストアを選択する」を選び、「完了」を押します。</li>
          <li>ブラウザーをすべて閉じてから開きなおします。</li>
        </ol>
      </details>
      <details>
        <summary>macOS（Safari・Google Chrome）</summary>
        <ol>
          <li>
            <code>{fileName}</code> をダブルクリックすると「キーチェーンアクセス」が開きます。キーチェーンは「ログイン」を選びます。
          </li>
          <li>.p12ファイルのパスワードを入力し、「OK」を押します。</li>
          <li>初めてログインするとき、証明書の選択画面で自分のログインIDの証明書を選び、キーチェーンへのアクセスを「常に許可」します。</li>
        </ol>
      </details>
      <details>
        <summary>Google Chrome（Linux・共通）</summary>
        <ol>
          <li>
            Chrome の「設定」→「プライバシーとセキュリティ」→「セキュリティ」→「証明書の管理」を開きます（Windows と macOS では OS
            の証明書ストアが使われます。上の手順で取り込んでください）。
          </li>
          <li>
            「自分の証明書」（Your certificates）→「インポート」で <code>{fileName}</code> を選び、パスワードを入力します。
          </li>
        </ol>
      </details>
      <details>
        <summary>Mozilla Firefox</summary>
        <ol>
          <li>「設定」→「プライバシーとセキュリティ」→「証明書」→「証明書を表示」を開きます。</li>
          <li>
            「あなたの証明書」タブで「インポート」を押し、<code>{fileName}</code> を選んでパスワードを入力します。
          </li>
          <li>
            「認証局証明書」タブで当金庫の認証局証明書（このページの「認証局証明書」）を読み込み、「この認証局によるウェブサイトの識別を信頼する」をチェックします（当金庫の案内がある場合のみ）。
          </li>
        </ol>
      </details>
      <p>
        取り込んだら、インターネットバンキング <a href={apiUrl}>{apiUrl}</a>{' '}
        を開き、証明書の選択画面で自分のログインIDの証明書を選んでログインしてください。
      </p>
    </section>
  );
}
