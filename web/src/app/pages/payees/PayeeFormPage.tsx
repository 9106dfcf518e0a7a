import { useEffect, useState } from 'preact/hooks';
import { DestinationFields, destinationProblems, useDirectoryNames, type FieldErrors } from '../../../common/destination';
import { describeError, refusedField } from '../../../common/messages';
import { ErrorBox, Field, Notice, useAction } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import {
  BeginCreatePayeeDocument,
  BeginUpdatePayeeDocument,
  CreatePayeeDocument,
  UpdatePayeeDocument,
  type PayeeFieldsFragment,
} from '../../../graphql/api.generated';
import { ChangeConfirmation, useHasPasskey } from '../../ChangeConfirmation';
import { withChangePasskey } from '../../passkeys';
import { payeeFacts } from './payee-facts';
import { navigate } from '../../session';
import { loadPayee } from './load-payee';
import { changeInput, createInput, draftOf, type PayeeDraft } from './payee-form';

/** The fields of createPayee/updatePayee the form shows; a refusal naming one is said next to it. */
const FORM_FIELDS = new Set(['nickname', 'bankCode', 'branchCode', 'accountNumber', 'payeeName']);

/** 振込先の登録 (payeeId null) and 振込先の変更: every problem said next to its field, in Japanese. */
export function PayeeFormPage({ payeeId }: { payeeId: number | null }) {
  const [before, setBefore] = useState<PayeeFieldsFragment | null | 'missing'>(null);
  const [draft, setDraft] = useState<PayeeDraft>(draftOf(null));
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState<PayeeFieldsFragment | null>(null);
  const action = useAction();
  const hasPasskey = useHasPasskey();
  const names = useDirectoryNames(draft.destination.bankCode, draft.destination.branchCode);
  const title = payeeId === null ? '振込先の登録' : '振込先の変更';

  useEffect(() => {
    if (payeeId === null) return;
    loadPayee(payeeId).then((payee) => {
      setBefore(payee ?? 'missing');
      if (payee) setDraft(draftOf(payee));
    });
  }, [payeeId]);

  const refused = refusedField(action.error);
  const serverErrors: FieldErrors = refused && FORM_FIELDS.has(refused) ? { [refused]: describeError(action.error!) } : {};
  const errors: FieldErrors = { ...destinationProblems(draft.destination, names), ...serverErrors };
  if (!draft.nickname.trim()) errors.nickname = '登録名を入力してください。';
  else if (serverErrors.nickname) errors.nickname = serverErrors.nickname;
  const change = (patch: Partial<PayeeDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    if (action.error) action.setError(null);
  };

  // A new payee, or a new destination for one (not a new nickname), is confirmed with the passkey (取引認証).
  const destinationChanged =
    payeeId === null || (before !== null && before !== 'missing' && Object.keys(changeInput(before, draft)).some((k) => k !== 'nickname'));

  const save = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(errors).length > 0) return;
    const result = await action.run(async () => {
      if (payeeId === null) {
        const input = createInput(draft);
        const begin = async () => (await gql(BeginCreatePayeeDocument, { input })).beginCreatePayee;
        return (await withChangePasskey(hasPasskey, begin, (passkeyAssertion) => gql(CreatePayeeDocument, { input, passkeyAssertion })))
          .createPayee;
      }
      const input = changeInput(before as PayeeFieldsFragment, draft);
      const begin = async () => (await gql(BeginUpdatePayeeDocument, { payeeId, input })).beginUpdatePayee;
      const update = (passkeyAssertion: string | null) => gql(UpdatePayeeDocument, { payeeId, input, passkeyAssertion });
      return (await withChangePasskey(hasPasskey && destinationChanged, begin, update)).updatePayee;
    });
    if (result) setSaved(result);
  };

  if (saved) {
    return (
      <section>
        <h1>{title}</h1>
        <Notice kind="success">
          <p data-testid="payee-saved">
            振込先「{saved.nickname}」を{payeeId === null ? '登録' : '変更'}しました（受取人名: {saved.payeeName}）。
          </p>
        </Notice>
        <p>
          <a href="#/payees">振込先一覧へ</a>{' '}
          {payeeId === null && (
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setSaved(null);
                setDraft(draftOf(null));
                setTried(false);
              }}
            >
              続けて登録する
            </button>
          )}
        </p>
      </section>
    );
  }
  if (before === 'missing') {
    return (
      <section>
        <h1>{title}</h1>
        <Notice kind="warning">
          <p>この振込先は登録されていません（削除された可能性があります）。</p>
        </Notice>
        <a href="#/payees">振込先一覧へ</a>
      </section>
    );
  }

  return (
    <section>
      <h1>{title}</h1>
      {payeeId !== null && !before ? (
        <p class="loading">読み込み中…</p>
      ) : (
        <form class="card" noValidate onSubmit={save}>
          <Field
            label="登録名"
            value={draft.nickname}
            onValue={(nickname) => change({ nickname })}
            maxLength={30}
            hint="社内で分かる名前（漢字も使えます、30文字まで）。振込の作成で検索に使います。"
            error={tried || serverErrors.nickname ? errors.nickname : undefined}
          />
          <DestinationFields
            value={draft.destination}
            onChange={(destination) => change({ destination })}
            names={names}
            errors={errors}
            showErrors={tried}
          />
          {hasPasskey && destinationChanged && <ChangeConfirmation facts={payeeFacts(createInput(draft))} />}
          {refused && FORM_FIELDS.has(refused) ? (
            <p class="field-error" role="alert">
              登録できませんでした。各項目の表示をご確認ください（何も変更していません）。
            </p>
          ) : (
            <ErrorBox error={action.error} />
          )}
          <div class="actions">
            <button type="button" class="secondary" onClick={() => navigate('/payees')}>
              一覧に戻る
            </button>
            <button type="submit" disabled={action.busy}>
              {payeeId === null ? '登録する' : '変更する'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
