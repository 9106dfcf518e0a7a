import { useEffect, useState } from 'preact/hooks';
import { dateTime } from '../../../common/format';
import { CONTRACT_STATUS, label } from '../../../common/labels';
import { ErrorBox, Field, Notice, toFacts, useAction } from '../../../common/ui';
import type { ErrorFacts } from '../../../common/messages';
import { gql } from '../../../graphql/client';
import { EmergencyStopDocument, MyContractDocument, type MyContractQuery } from '../../../graphql/api.generated';

/**
 * 緊急停止: stops every user of the contract at once, including this administrator. Only the bank
 * resumes it, so the page asks twice. No confirmation password: it must work even when one has
 * been stolen.
 */
export function EmergencyStopPage() {
  const [contract, setContract] = useState<MyContractQuery['myContract'] | null>(null);
  const [loadError, setLoadError] = useState<ErrorFacts | null>(null);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [stoppedAt, setStoppedAt] = useState<string | null>(null);
  const action = useAction();
  useEffect(() => {
    gql(MyContractDocument, {})
      .then((r) => setContract(r.myContract))
      .catch((e) => setLoadError(toFacts(e)));
  }, []);
  const stop = async () => {
    const result = await action.run(() => gql(EmergencyStopDocument, { reason: reason.trim() }));
    setConfirming(false);
    if (result) setStoppedAt(result.emergencyStop.statusChangedAt ?? new Date().toISOString());
  };
  if (stoppedAt) {
    return (
      <section>
        <h1>緊急停止</h1>
        <Notice kind="warning">
          {dateTime(stoppedAt)}{' '}
          に緊急停止しました。この契約のすべての利用者（あなたを含む）は、ただちにご利用いただけなくなりました。再開はお取引店にご依頼ください。
        </Notice>
      </section>
    );
  }
  return (
    <section>
      <h1>緊急停止</h1>
      <ErrorBox error={loadError} />
      {contract && (
        <p>
          契約: {contract.name}（{contract.code}）・状態: {label(CONTRACT_STATUS, contract.status)}
        </p>
      )}
      <div class="card danger-zone">
        <p>
          不正な利用が疑われるときに、この契約のすべての利用者のご利用をただちに止めます。操作中の利用者も次の操作から利用できなくなります。
          <strong>再開は当金庫のみが行えます。</strong>
        </p>
        <Field label="停止の理由" value={reason} onValue={setReason} maxLength={200} required />
        <ErrorBox error={action.error} />
        {!confirming ? (
          <button type="button" class="danger" disabled={!reason.trim()} onClick={() => setConfirming(true)}>
            緊急停止…
          </button>
        ) : (
          <div class="confirm" role="alertdialog" aria-label="緊急停止の確認">
            <p>本当に緊急停止しますか。すべての利用者が利用できなくなり、再開は当金庫に依頼が必要です。</p>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              やめる
            </button>
            <button type="button" class="danger" onClick={stop} disabled={action.busy}>
              緊急停止を実行する
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
