import { useEffect, useState } from 'preact/hooks';
import { dateTime } from '../../../common/format';
import { ErrorBox, Notice, useAction } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import { RemoveUserPasskeyDocument, UserPasskeysDocument, type UserPasskeysQuery } from '../../../graphql/api.generated';

type Item = UserPasskeysQuery['userPasskeys'][number];

/** A user's passkeys (取引認証), which the administrator removes when a PC or key is lost or the person leaves. */
export function UserPasskeys({ userId, confirmationPassword }: { userId: number; confirmationPassword: string }) {
  const [passkeys, setPasskeys] = useState<Item[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const load = () => action.run(() => gql(UserPasskeysDocument, { userId })).then((found) => found && setPasskeys(found.userPasskeys));
  useEffect(() => {
    load();
  }, [userId]);
  const remove = async (passkey: Item) => {
    setDone(null);
    const removed = await action.run(() => gql(RemoveUserPasskeyDocument, { userId, passkeyId: passkey.id, confirmationPassword }));
    if (removed) {
      setDone(`パスキー「${passkey.name}」を削除しました。`);
      load();
    }
  };
  return (
    <div class="card" data-testid="user-passkeys">
      <h2>パスキー（取引認証）</h2>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorBox error={action.error} />
      {passkeys && passkeys.length === 0 && <p>登録済みのパスキーはありません。</p>}
      {passkeys && passkeys.length > 0 && (
        <table>
          <caption class="visually-hidden">登録済みのパスキー</caption>
          <thead>
            <tr>
              <th scope="col">名前</th>
              <th scope="col">登録日時</th>
              <th scope="col">最終利用日時</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {passkeys.map((p) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>{dateTime(p.createdAt)}</td>
                <td>{p.lastUsedAt ? dateTime(p.lastUsedAt) : '未使用'}</td>
                <td>
                  <button type="button" class="secondary" disabled={action.busy || !confirmationPassword} onClick={() => remove(p)}>
                    削除する
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
