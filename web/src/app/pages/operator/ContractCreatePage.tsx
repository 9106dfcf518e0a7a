import { useState } from 'preact/hooks';
import { dateTime } from '../../../common/format';
import { ErrorBox, Field, PasswordField, SecretSheet, useAction } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import { CreateContractDocument, type CreateContractMutation } from '../../../graphql/api.generated';

/** 契約の登録: a contract with its master administrator, whose first credentials are shown once. */
export function ContractCreatePage() {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [administratorLoginId, setAdministratorLoginId] = useState('');
  const [administratorName, setAdministratorName] = useState('');
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [created, setCreated] = useState<CreateContractMutation['createContract'] | null>(null);
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const result = await action.run(() =>
      gql(CreateContractDocument, {
        input: {
          code: code.trim(),
          name: name.trim(),
          administratorLoginId: administratorLoginId.trim(),
          administratorName: administratorName.trim(),
        },
        confirmationPassword,
      }),
    );
    setConfirmationPassword('');
    if (result) setCreated(result.createContract);
  };
  if (created) {
    return (
      <section>
        <h1>契約を登録しました</h1>
        <SecretSheet
          title={`${created.contract.name}（${created.contract.code}）管理者 ご利用開始のご案内`}
          rows={[
            ['管理者ログインID', created.administratorLoginId],
            ['仮ログインパスワード', created.temporaryPasswords.loginPassword],
            ['仮確認用パスワード', created.temporaryPasswords.confirmationPassword],
            ['証明書取得コード', created.enrollmentCode.code],
            ['コードの有効期限', dateTime(created.enrollmentCode.expiresAt)],
          ]}
          note="この画面は一度だけ表示されます。印刷して管理者にお渡しください（パスワードとコードは別の手段で渡すことをおすすめします）。"
        />
        <p>
          <a href="#/operator/contracts">契約一覧へ</a>
        </p>
      </section>
    );
  }
  return (
    <section>
      <h1>契約の登録</h1>
      <form class="card" onSubmit={submit}>
        <Field label="契約番号" value={code} onValue={setCode} required hint="例: C0001234" />
        <Field label="契約者名" value={name} onValue={setName} required />
        <Field label="マスター管理者のログインID" value={administratorLoginId} onValue={setAdministratorLoginId} required />
        <Field label="マスター管理者の氏名" value={administratorName} onValue={setAdministratorName} required />
        <PasswordField label="確認用パスワード（オペレーター）" value={confirmationPassword} onValue={setConfirmationPassword} required />
        <ErrorBox error={action.error} />
        <button
          type="submit"
          disabled={action.busy || !code || !name || !administratorLoginId || !administratorName || !confirmationPassword}
        >
          登録する
        </button>
      </form>
    </section>
  );
}
