import { useEffect, useState } from 'preact/hooks';
import { NOTICE_TOPIC, NOTICE_TOPICS } from '../../common/labels';
import { ErrorBox, Field, Notice, PasswordField, useAction } from '../../common/ui';
import { gql } from '../../graphql/client';
import { MyEmailAddressDocument, SetEmailAddressDocument } from '../../graphql/api.generated';

/**
 * メールアドレス: where the user's own e-mail notices go. The page says what is sent and that no
 * notice ever carries a link, so that a "bank" mail with one is known for phishing.
 */
export function EmailAddressPage() {
  const [current, setCurrent] = useState<string | null | undefined>(undefined);
  const [emailAddress, setEmailAddress] = useState('');
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const load = useAction();
  const save = useAction();
  useEffect(() => {
    load.run(() => gql(MyEmailAddressDocument, {})).then((r) => r && setCurrent(r.me.emailAddress ?? null));
  }, []);

  // An empty address removes it: the server takes null or "" for none.
  const submit = async (address: string | null) => {
    setDone(null);
    const result = await save.run(() => gql(SetEmailAddressDocument, { emailAddress: address, confirmationPassword }));
    setConfirmationPassword('');
    if (result) {
      setCurrent(result.setEmailAddress ?? null);
      setEmailAddress('');
      setDone(result.setEmailAddress ? 'メールアドレスを登録しました。' : 'メールアドレスを削除しました。通知メールは届きません。');
    }
  };

  return (
    <section>
      <h1>メールアドレス</h1>
      <p>
        ご登録のメールアドレスに、次のお取引やご利用の通知を日本語でお送りします（どの通知を送るかは、管理者が契約のメール通知設定で選びます）。
      </p>
      <ul data-testid="notice-topics">
        {NOTICE_TOPICS.map((topic) => (
          <li key={topic}>{NOTICE_TOPIC[topic]}</li>
        ))}
      </ul>
      <Notice kind="warning">
        当金庫からの通知メールには、リンク（ホームページのアドレス）を記載することはありません。リンクの付いたメールは当金庫を装った偽のメール（フィッシング）です。リンクを開かずに削除し、お取引店にご連絡ください。
      </Notice>
      <ErrorBox error={load.error} />
      {done && <Notice kind="success">{done}</Notice>}
      {current !== undefined && (
        <p data-testid="current-email-address">現在のメールアドレス: {current ?? '未登録（通知メールは届きません）'}</p>
      )}
      <form
        class="card"
        aria-label="メールアドレスの登録・変更"
        onSubmit={(e) => {
          e.preventDefault();
          submit(emailAddress.trim());
        }}
      >
        <h2>{current ? 'メールアドレスの変更' : 'メールアドレスの登録'}</h2>
        <Field
          label="新しいメールアドレス"
          type="email"
          value={emailAddress}
          onValue={setEmailAddress}
          required
          maxLength={254}
          autocomplete="email"
          hint="半角英数字（例: keiri@example.co.jp）"
        />
        <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required />
        <ErrorBox error={save.error} />
        <div class="actions">
          {current && (
            <button type="button" class="secondary" disabled={save.busy || !confirmationPassword} onClick={() => submit(null)}>
              メールアドレスを削除する
            </button>
          )}
          <button type="submit" disabled={save.busy || !emailAddress.trim() || !confirmationPassword}>
            {current ? '変更する' : '登録する'}
          </button>
        </div>
      </form>
    </section>
  );
}
