import { useEffect, useState } from 'preact/hooks';
import { date } from '../../common/format';
import { ErrorBox, Notice, PasswordField, useAction } from '../../common/ui';
import { ApiError, gql } from '../../graphql/client';
import { ChangePasswordDocument, type PasswordKind } from '../../graphql/api.generated';
import type { Whoami } from '../session';

const KIND_NAME: Record<PasswordKind, string> = { LOGIN: 'ログインパスワード', CONFIRMATION: '確認用パスワード' };

/**
 * Changing passwords: forced after a reset (both temporary passwords, before anything else) or
 * after expiry in enforce mode; otherwise from the menu (設定 › パスワード変更).
 */
export function ChangePasswordPage({ forced, whoami, onChanged }: { forced: boolean; whoami: Whoami | null; onChanged: () => void }) {
  const temporary = whoami?.passwordStatus.temporary ?? false;
  const kinds: PasswordKind[] = forced && !temporary ? ['LOGIN'] : ['LOGIN', 'CONFIRMATION'];
  const [done, setDone] = useState<PasswordKind[]>([]);
  const remaining = kinds.filter((k) => !done.includes(k));
  const allChanged = remaining.length === 0;
  // Forced: the app opens once every password asked for is changed; from the menu: after each change.
  useEffect(() => {
    if (done.length > 0 && (allChanged || !forced)) onChanged();
  }, [done.length]);
  return (
    <section class="card">
      <h1>パスワード変更</h1>
      {forced && temporary && (
        <Notice kind="warning">
          仮パスワードでログインしました。ご利用の前に、ログインパスワードと確認用パスワードの両方を新しいものに変更してください。
        </Notice>
      )}
      {forced && !temporary && whoami && (
        <Notice kind="warning">
          ログインパスワードの有効期限（{date(whoami.passwordStatus.expiresAt)}）が切れています。変更してからご利用ください。
        </Notice>
      )}
      <p class="hint">8文字以上で、英字と数字の両方を含めてください。ログインIDや最近使ったパスワードは使えません。</p>
      {done.map((k) => (
        <Notice key={k} kind="success">
          {KIND_NAME[k]}を変更しました。
        </Notice>
      ))}
      {remaining.map((kind) => (
        <PasswordForm key={kind} kind={kind} onChanged={() => setDone((earlier) => [...earlier, kind])} />
      ))}
    </section>
  );
}

function PasswordForm({ kind, onChanged }: { kind: PasswordKind; onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const action = useAction();
  const name = KIND_NAME[kind];
  const submit = async (e: Event) => {
    e.preventDefault();
    if (next !== repeated) {
      action.setError(new ApiError('BAD_USER_INPUT', '', {}));
      return;
    }
    const result = await action.run(() => gql(ChangePasswordDocument, { kind, current, next }));
    setCurrent('');
    setNext('');
    setRepeated('');
    if (result) onChanged();
  };
  return (
    <form onSubmit={submit} class="subform" aria-label={`${name}の変更`}>
      <h2>{name}の変更</h2>
      <PasswordField label={`現在の${name}`} value={current} onValue={setCurrent} required />
      <PasswordField label={`新しい${name}`} value={next} onValue={setNext} required />
      <PasswordField label={`新しい${name}（確認）`} value={repeated} onValue={setRepeated} required />
      {next && repeated && next !== repeated && <p class="field-error">確認のため入力したパスワードが一致しません。</p>}
      <ErrorBox error={action.error} />
      <button type="submit" disabled={action.busy || !current || !next || next !== repeated}>
        {name}を変更する
      </button>
    </form>
  );
}
