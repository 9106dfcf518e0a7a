import { useState } from 'preact/hooks';
import { ErrorBox, Notice, PasswordField, useAction } from '../../common/ui';
import { gql, type ApiError } from '../../graphql/client';
import { LoginDocument } from '../../graphql/api.generated';
import type { Whoami } from '../session';

/**
 * PIN login (R1): the certificate the browser presented names the user; the login password
 * proves the person. The field is masked and never remembered.
 */
export function LoginPage({
  whoami,
  notice,
  error,
  onLoggedIn,
}: {
  whoami: Whoami | null;
  notice: string | null;
  error: ApiError | null;
  onLoggedIn: () => void;
}) {
  const [pin, setPin] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const done = await action.run(() => gql(LoginDocument, { pin }));
    setPin('');
    if (done) onLoggedIn();
  };
  return (
    <section class="card narrow">
      <h1>ログイン</h1>
      {notice && <Notice kind="info">{notice}</Notice>}
      {!action.error && <ErrorBox error={error} />}
      {whoami && (
        <p class="certificate-owner">
          電子証明書: <strong>{whoami.loginId}</strong>（{whoami.displayName}
          {whoami.contractName ? `・${whoami.contractName}` : ''}）
        </p>
      )}
      <form onSubmit={submit}>
        <PasswordField label="ログインパスワード" value={pin} onValue={setPin} required autoFocus />
        <ErrorBox error={action.error} />
        <button type="submit" disabled={action.busy || !pin}>
          ログイン
        </button>
      </form>
      <p class="hint">
        共用のパソコンでは、使い終わったら必ず「ログアウト」を押してください。パスワードを続けて6回誤るとIDがロックされます。
      </p>
    </section>
  );
}
