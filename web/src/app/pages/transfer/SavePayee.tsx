import { useState } from 'preact/hooks';
import { refusedField, describeError } from '../../../common/messages';
import { ErrorBox, Field, Notice, useAction } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import { BeginCreatePayeeDocument, CreatePayeeDocument, type CreatePayeeInput } from '../../../graphql/api.generated';
import { ChangeConfirmation, useHasPasskey } from '../../ChangeConfirmation';
import { withChangePasskey } from '../../passkeys';
import { payeeFacts } from '../payees/payee-facts';

/** この振込先を登録: after a transfer typed by hand, its destination registered under a name of the person's choosing. */
export function SavePayee({ destination }: { destination: Omit<CreatePayeeInput, 'nickname'> }) {
  const [nickname, setNickname] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();
  const hasPasskey = useHasPasskey();
  const field = refusedField(action.error);

  if (saved) {
    return (
      <Notice kind="success">
        <p>振込先「{saved}」を登録しました。次回からは登録済みの振込先から選べます。</p>
      </Notice>
    );
  }
  return (
    <form
      class="card"
      aria-label="この振込先を登録"
      onSubmit={async (e) => {
        e.preventDefault();
        const input = { ...destination, nickname: nickname.trim() };
        const result = await action.run(() =>
          withChangePasskey(
            hasPasskey,
            async () => (await gql(BeginCreatePayeeDocument, { input })).beginCreatePayee,
            (passkeyAssertion) => gql(CreatePayeeDocument, { input, passkeyAssertion }),
          ),
        );
        if (result) setSaved(result.createPayee.nickname);
      }}
    >
      <h2>この振込先を登録</h2>
      <Field
        label="登録名"
        value={nickname}
        onValue={setNickname}
        maxLength={30}
        hint="社内で分かる名前（漢字も使えます、30文字まで）"
        error={field === 'nickname' && action.error ? describeError(action.error) : undefined}
      />
      {hasPasskey && <ChangeConfirmation facts={payeeFacts(destination)} />}
      {field !== 'nickname' && <ErrorBox error={action.error} />}
      <button type="submit" disabled={action.busy || !nickname.trim()}>
        振込先に登録する
      </button>
    </form>
  );
}
