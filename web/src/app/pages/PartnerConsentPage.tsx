import { useEffect, useState } from 'preact/hooks';
import { ACCOUNT_TYPE, PARTNER_SCOPE, label } from '../../common/labels';
import type { ErrorFacts } from '../../common/messages';
import { ErrorBox, PasswordField, toFacts, useAction } from '../../common/ui';
import { gql } from '../../graphql/client';
import {
  ApprovePartnerConsentDocument,
  DeclinePartnerConsentDocument,
  PartnerConsentRequestDocument,
  type PartnerConsentRequestQuery,
} from '../../graphql/api.generated';

/**
 * 連携の同意: a partner (連携先) sent the browser here through the bank's authorization server. The
 * signed-in person sees who asks, for what (cut to what they may do themselves) and over which
 * accounts, and consents with the confirmation password; the browser then goes back to the partner.
 */
export function PartnerConsentPage({ uid }: { uid: string }) {
  const [request, setRequest] = useState<PartnerConsentRequestQuery['partnerConsentRequest'] | null>(null);
  const [error, setError] = useState<ErrorFacts | null>(null);
  const [confirmationPassword, setConfirmationPassword] = useState('');
  // Which accounts the partner may see and pay from: none until the person ticks them.
  const [accountIds, setAccountIds] = useState<number[]>([]);
  const action = useAction();
  useEffect(() => {
    gql(PartnerConsentRequestDocument, { uid })
      .then((r) => setRequest(r.partnerConsentRequest))
      .catch((e) => setError(toFacts(e)));
  }, [uid]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const result = await action.run(() => gql(ApprovePartnerConsentDocument, { uid, accountIds, confirmationPassword }));
    setConfirmationPassword('');
    if (result) window.location.assign(result.approvePartnerConsent.redirectTo);
  };
  const decline = async () => {
    const result = await action.run(() => gql(DeclinePartnerConsentDocument, { uid }));
    if (result) window.location.assign(result.declinePartnerConsent.redirectTo);
  };
  return (
    <section>
      <h1>連携の同意</h1>
      <ErrorBox error={error} />
      {request && (
        <form class="card" onSubmit={submit} aria-label="連携の同意">
          <p>連携先「{request.partnerName}」が、あなたに代わって次の操作を行うことへの同意を求めています。</p>
          <h2>許可する操作</h2>
          <ul>
            {request.scopes.map((scope) => (
              <li key={scope}>{label(PARTNER_SCOPE, scope)}</li>
            ))}
          </ul>
          <fieldset>
            <legend>連携する口座（連携先はここで選んだ口座だけを照会・利用できます）</legend>
            {request.accounts.map((a) => (
              <label key={a.id} class="check">
                <input
                  type="checkbox"
                  checked={accountIds.includes(a.id)}
                  onChange={(e) =>
                    setAccountIds((ids) => ((e.target as HTMLInputElement).checked ? [...ids, a.id] : ids.filter((id) => id !== a.id)))
                  }
                />{' '}
                {a.branchName} {label(ACCOUNT_TYPE, a.accountType)} {a.accountNumber}
              </label>
            ))}
          </fieldset>
          <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required />
          <ErrorBox error={action.error} />
          <button type="submit" disabled={action.busy || !confirmationPassword || request.scopes.length === 0 || accountIds.length === 0}>
            同意して連携先に戻る
          </button>{' '}
          <button type="button" class="secondary" disabled={action.busy} onClick={decline}>
            同意せずに連携先に戻る
          </button>
        </form>
      )}
    </section>
  );
}
