import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Field, Notice, PasswordField, useAction } from '../../common/ui';
import { PasskeyTable } from '../PasskeyTable';
import { myPasskeys, registerPasskey, removePasskey, type PasskeyItem } from '../passkeys';

/**
 * パスキー管理 (取引認証): the passkeys that prove this user's approvals — registered on this PC
 * (or a security key) with the confirmation password, named, listed and removed.
 */
export function PasskeysPage() {
  const [passkeys, setPasskeys] = useState<PasskeyItem[] | null>(null);
  const [name, setName] = useState('');
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [removing, setRemoving] = useState<PasskeyItem | null>(null);
  const list = useAction();
  const register = useAction();
  const load = () => list.run(myPasskeys).then((found) => found && setPasskeys(found));
  useEffect(() => {
    load();
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    const added = await register.run(() => registerPasskey(name.trim(), confirmationPassword));
    setConfirmationPassword('');
    if (added) {
      setName('');
      // The list first: the message must not stand beside rows that still show the state before.
      await load();
      setDone(`パスキー「${added.name}」を登録しました。承認のときにこのパスキーで本人確認します。`);
    }
  };

  return (
    <section>
      <h1>パスキー管理</h1>
      <p>
        パスキーは、振込の承認のときに、承認する振込の内容（振込先・金額・振込指定日）に対して本人確認を行うためのものです（取引認証）。このパソコンの指紋・顔・暗証番号、またはセキュリティキーで登録します。
      </p>
      <ErrorBox error={list.error} />
      {done && <Notice kind="success">{done}</Notice>}
      {passkeys && (
        <PasskeyTable
          passkeys={passkeys}
          action={(p) => (
            <button type="button" class="secondary" onClick={() => setRemoving(p)}>
              削除…
            </button>
          )}
        />
      )}
      {removing && (
        <RemoveForm
          passkey={removing}
          onCancel={() => setRemoving(null)}
          onDone={() => {
            const name = removing.name;
            setRemoving(null);
            void load().then(() => setDone(`パスキー「${name}」を削除しました。`));
          }}
        />
      )}
      <form class="card" onSubmit={submit} aria-label="パスキーの登録">
        <h2>パスキーの登録</h2>
        <Field label="パスキーの名前" value={name} onValue={setName} required maxLength={60} hint="例: 経理部のパソコン" />
        <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required />
        <ErrorBox error={register.error} />
        <div class="actions">
          <button type="submit" disabled={register.busy || !name.trim() || !confirmationPassword}>
            {register.busy ? 'ブラウザーの確認を待っています…' : 'パスキーを登録する'}
          </button>
        </div>
      </form>
    </section>
  );
}

function RemoveForm({ passkey, onCancel, onDone }: { passkey: PasskeyItem; onCancel: () => void; onDone: () => void }) {
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const removed = await action.run(async () => {
      await removePasskey(passkey.id, confirmationPassword);
      return true;
    });
    setConfirmationPassword('');
    if (removed) onDone();
  };
  return (
    <form class="card" onSubmit={submit} aria-label="パスキーの削除">
      <h2>パスキー「{passkey.name}」の削除</h2>
      <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required autoFocus />
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={onCancel} disabled={action.busy}>
          やめる
        </button>
        <button type="submit" disabled={action.busy || !confirmationPassword}>
          削除する
        </button>
      </div>
    </form>
  );
}
