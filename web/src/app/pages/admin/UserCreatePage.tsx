import { useState } from 'preact/hooks';
import { dateTime, yen } from '../../../common/format';
import { enrollmentUrl } from '../../../common/site-links';
import { PERMISSION, PERMISSIONS } from '../../../common/labels';
import { ErrorBox, Field, PasswordField, SecretSheet, useAction } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import { BeginCreateUserDocument, CreateUserDocument, type CreateUserMutation, type Permission } from '../../../graphql/api.generated';
import { ChangeConfirmation, useHasPasskey } from '../../ChangeConfirmation';
import { withChangePasskey } from '../../passkeys';

/** 利用者の登録: the new user's temporary passwords and enrollment code are shown once, to print. */
export function UserCreatePage() {
  const [loginId, setLoginId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [permissions, setPermissions] = useState<Permission[]>(['ACCOUNT_INQUIRY']);
  const [perTransfer, setPerTransfer] = useState('0');
  const [perDay, setPerDay] = useState('0');
  const [emailAddress, setEmailAddress] = useState('');
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [created, setCreated] = useState<CreateUserMutation['createUser'] | null>(null);
  const action = useAction();

  const hasPasskey = useHasPasskey();
  const input = {
    loginId: loginId.trim(),
    displayName: displayName.trim(),
    permissions,
    transferLimitPerTransaction: Number(perTransfer || 0),
    dailyTransferLimit: Number(perDay || 0),
    emailAddress: emailAddress.trim() || null,
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const result = await action.run(() =>
      withChangePasskey(
        hasPasskey,
        async () => (await gql(BeginCreateUserDocument, { input })).beginCreateUser,
        (passkeyAssertion) => gql(CreateUserDocument, { input, confirmationPassword, passkeyAssertion }),
      ),
    );
    setConfirmationPassword('');
    if (result) setCreated(result.createUser);
  };

  if (created) {
    return (
      <section>
        <h1>利用者を登録しました</h1>
        <SecretSheet
          title={`${created.user.displayName}（${created.user.loginId}）様 ご利用開始のご案内`}
          rows={[
            ['ログインID', created.user.loginId],
            ['仮ログインパスワード', created.temporaryPasswords.loginPassword],
            ['仮確認用パスワード', created.temporaryPasswords.confirmationPassword],
            ['証明書取得コード', created.enrollmentCode.code],
            ['コードの有効期限', dateTime(created.enrollmentCode.expiresAt)],
            ['電子証明書取得ページ', enrollmentUrl()],
          ]}
          note="この画面は一度だけ表示されます。印刷するか書き留めて、ご本人にお渡しください。ご本人は電子証明書取得ページで証明書を取得し、初回ログインで両方のパスワードを変更します。"
        />
        <p>
          <a href="#/admin/users">利用者一覧へ戻る</a>
        </p>
      </section>
    );
  }

  return (
    <section>
      <h1>利用者の登録</h1>
      <form class="card" onSubmit={submit}>
        <Field label="ログインID" value={loginId} onValue={setLoginId} required hint="4〜32文字の半角英小文字・数字・「.」「_」「-」" />
        <Field label="氏名" value={displayName} onValue={setDisplayName} required />
        <fieldset>
          <legend>業務権限</legend>
          {PERMISSIONS.map((p) => (
            <label key={p} class="check">
              <input
                type="checkbox"
                checked={permissions.includes(p)}
                onChange={(e) =>
                  setPermissions((e.target as HTMLInputElement).checked ? [...permissions, p] : permissions.filter((x) => x !== p))
                }
              />
              {PERMISSION[p]}
            </label>
          ))}
        </fieldset>
        <Field
          label="利用限度額（1回あたり・円）"
          inputMode="numeric"
          value={perTransfer}
          onValue={setPerTransfer}
          hint={yen(Number(perTransfer) || 0)}
        />
        <Field label="利用限度額（1日あたり・円）" inputMode="numeric" value={perDay} onValue={setPerDay} hint={yen(Number(perDay) || 0)} />
        <Field
          label="メールアドレス（通知先・任意）"
          type="email"
          value={emailAddress}
          onValue={setEmailAddress}
          maxLength={254}
          hint="ログインやお取引の通知（リンクなし）をお送りします。あとからご本人や管理者も設定できます。"
        />
        {hasPasskey && (
          <ChangeConfirmation
            facts={[
              ['利用者ID', input.loginId],
              ['利用者名', input.displayName],
              ['業務権限', permissions.map((p) => PERMISSION[p]).join('、') || 'なし'],
              ['1回あたり', yen(input.transferLimitPerTransaction)],
              ['1日あたり', yen(input.dailyTransferLimit)],
              ['メールアドレス', input.emailAddress ?? 'なし'],
            ]}
          />
        )}
        <PasswordField label="確認用パスワード（管理者）" value={confirmationPassword} onValue={setConfirmationPassword} required />
        <ErrorBox error={action.error} />
        <button type="submit" disabled={action.busy || !loginId || !displayName || !confirmationPassword}>
          登録する
        </button>
      </form>
    </section>
  );
}
