import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Notice, useAction } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import { PasskeyTable } from '../../PasskeyTable';
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
      // The list first: the message must not stand beside rows that still show the state before.
      await load();
      setDone(`パスキー「${passkey.name}」を削除しました。`);
    }
  };
  return (
    <div class="card" data-testid="user-passkeys">
      <h2>パスキー（取引認証）</h2>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorBox error={action.error} />
      {passkeys && (
        <PasskeyTable
          passkeys={passkeys}
          captionHidden
          action={(p) => (
            <button type="button" class="secondary" disabled={action.busy || !confirmationPassword} onClick={() => remove(p)}>
              削除する
            </button>
          )}
        />
      )}
    </div>
  );
}
