import { useState } from 'preact/hooks';
import { ErrorBox, Field, Notice, useAction } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import { SetUserEmailAddressDocument, type UserFieldsFragment } from '../../../graphql/api.generated';

/** A user's notice address, which the administrator sets or removes (with the page's confirmation password). */
export function UserEmailAddress({
  user,
  confirmationPassword,
  onChanged,
}: {
  user: UserFieldsFragment;
  confirmationPassword: string;
  onChanged: (user: UserFieldsFragment) => void;
}) {
  const [emailAddress, setEmailAddress] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const submit = async (address: string | null) => {
    setDone(null);
    const result = await action.run(() =>
      gql(SetUserEmailAddressDocument, { userId: user.id, emailAddress: address, confirmationPassword }),
    );
    if (result) {
      setEmailAddress('');
      setDone(result.setUserEmailAddress.emailAddress ? 'メールアドレスを登録しました。' : 'メールアドレスを削除しました。');
      onChanged(result.setUserEmailAddress);
    }
  };
  return (
    <form
      class="card"
      data-testid="user-email-address"
      aria-label="メールアドレス（通知先）"
      onSubmit={(e) => {
        e.preventDefault();
        submit(emailAddress.trim());
      }}
    >
      <h2>メールアドレス（通知先）</h2>
      {done && <Notice kind="success">{done}</Notice>}
      <p>現在のメールアドレス: {user.emailAddress ?? '未登録'}</p>
      <Field label="新しいメールアドレス" type="email" value={emailAddress} onValue={setEmailAddress} maxLength={254} hint="半角英数字" />
      <ErrorBox error={action.error} />
      <div class="actions">
        {user.emailAddress && (
          <button type="button" class="secondary" disabled={action.busy || !confirmationPassword} onClick={() => submit(null)}>
            メールアドレスを削除する
          </button>
        )}
        <button type="submit" disabled={action.busy || !emailAddress.trim() || !confirmationPassword}>
          メールアドレスを登録する
        </button>
      </div>
    </form>
  );
}
