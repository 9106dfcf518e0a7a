import { useEffect, useState } from 'preact/hooks';
import { businessDate, dateTime, yen } from '../../../common/format';
import { ACCOUNT_TYPE, HOLD_RULE, TRANSFER_STATUS, label } from '../../../common/labels';
import type { ErrorFacts } from '../../../common/messages';
import { ErrorBox, Field, Notice, Pager, PasswordField, toFacts, useAction } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import {
  CancelHeldTransferDocument,
  HeldTransfersDocument,
  ReleaseHeldTransferDocument,
  type HeldTransferFieldsFragment,
} from '../../../graphql/api.generated';

const PAGE = 50;

/**
 * 当金庫 › 保留中の取引: transfers a fraud-control rule held, oldest first, with the rule that held
 * each. The operator calls the customer back on the number the bank holds (never one a caller
 * gives), records that 本人確認, and releases the transfer — it then runs — or cancels it.
 */
export function HeldTransfersPage() {
  const [page, setPage] = useState<{ items: HeldTransferFieldsFragment[]; nextCursor: number | null } | null>(null);
  const [cursors, setCursors] = useState<Array<number | null>>([null]);
  const [error, setError] = useState<ErrorFacts | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = (after: number | null, stack: Array<number | null>) =>
    gql(HeldTransfersDocument, { first: PAGE, after })
      .then(({ heldTransfers }) => {
        setPage({ items: heldTransfers.items, nextCursor: heldTransfers.nextCursor ?? null });
        setCursors(stack);
      })
      .catch((e) => setError(toFacts(e)));
  useEffect(() => {
    load(null, [null]);
  }, []);
  const transfer = page?.items.find((t) => t.id === selected) ?? null;
  return (
    <section>
      <h1>保留中の取引</h1>
      <p class="hint">
        不正送金の防止のため保留した振込です。お客さまへ届出の電話番号で折り返し、ご本人に振込先と金額を確認してから解除してください。
      </p>
      <ErrorBox error={error} />
      {done && <Notice kind="success">{done}</Notice>}
      {page && page.items.length === 0 && <p data-testid="held-empty">保留中の取引はありません。</p>}
      {page && page.items.length > 0 && (
        <table class="card" data-testid="held-transfers">
          <thead>
            <tr>
              <th>受付番号</th>
              <th>契約</th>
              <th>作成者</th>
              <th>保留の理由</th>
              <th>保留日時</th>
              <th>振込先</th>
              <th class="num">金額</th>
              <th>実行日</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.items.map((t) => (
              <tr key={t.id} data-testid={`held-${t.id}`} aria-selected={t.id === selected}>
                <td>{t.id}</td>
                <td>
                  {t.contractName}
                  <div class="hint">{t.contractCode}</div>
                </td>
                <td>{t.makerLoginId}</td>
                <td>{label(HOLD_RULE, t.holdRule)}</td>
                <td>{dateTime(t.heldAt)}</td>
                <td>
                  {t.destinationBankName ?? t.destinationBankCode} {t.destinationBranchName ?? t.destinationBranchCode}{' '}
                  {label(ACCOUNT_TYPE, t.destinationAccountType)} {t.destinationAccountNumber}
                  <div class="hint">{t.payeeName}</div>
                </td>
                <td class="num">{yen(t.amount)}</td>
                <td>{businessDate(t.executionDate)}</td>
                <td>
                  <button type="button" class="secondary" onClick={() => setSelected(t.id)}>
                    確認・解除
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && <Pager busy={false} cursors={cursors} next={page.nextCursor} load={load} labels={['前の50件', '次の50件']} />}
      {transfer && (
        <HoldActions
          key={transfer.id}
          transfer={transfer}
          onDone={(message) => {
            setSelected(null);
            setDone(message);
            load(cursors[cursors.length - 1], cursors);
          }}
        />
      )}
    </section>
  );
}

function HoldActions({ transfer, onDone }: { transfer: HeldTransferFieldsFragment; onDone: (message: string) => void }) {
  const [note, setNote] = useState('');
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const action = useAction();
  const ready = note.trim().length >= 5 && confirmationPassword !== '' && !action.busy;
  const decide = async (release: boolean) => {
    const decided = await action.run(async () =>
      release
        ? (await gql(ReleaseHeldTransferDocument, { transferId: transfer.id, verification: note, confirmationPassword }))
            .releaseHeldTransfer
        : (await gql(CancelHeldTransferDocument, { transferId: transfer.id, note, confirmationPassword })).cancelHeldTransfer,
    );
    setConfirmationPassword('');
    if (decided) {
      const verb = release ? '保留を解除しました' : '取り消しました';
      onDone(`受付番号 ${decided.transferId} を${verb}（状態: ${label(TRANSFER_STATUS, decided.status)}）。`);
    }
  };
  return (
    <div class="card" aria-label={`受付番号 ${transfer.id} の確認`}>
      <h2>受付番号 {transfer.id} の本人確認</h2>
      <p>
        {transfer.contractName}（{transfer.contractCode}）／{yen(transfer.amount)}／{label(HOLD_RULE, transfer.holdRule)}
      </p>
      <Field
        label="本人確認の記録（誰に・どの番号へ・何を確認したか）"
        value={note}
        onValue={setNote}
        maxLength={500}
        hint="解除しない場合は、取消の理由を記録してください。"
      />
      <PasswordField label="確認用パスワード（オペレーター）" value={confirmationPassword} onValue={setConfirmationPassword} />
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="button" disabled={!ready} onClick={() => decide(true)}>
          本人確認済み・保留を解除して実行
        </button>
        <button type="button" class="danger" disabled={!ready} onClick={() => decide(false)}>
          取消
        </button>
      </div>
    </div>
  );
}
