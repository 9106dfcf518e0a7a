import { useEffect, useRef, useState } from 'preact/hooks';
import { businessDate, dateTime, yen } from '../../common/format';
import { ACCOUNT_TYPE, TRANSFER_STATUS, label } from '../../common/labels';
import { ErrorBox, Field, Notice, PasswordField, Select, useAction } from '../../common/ui';
import { gql } from '../../graphql/client';
import {
  ApproveTransferDocument,
  RejectTransferDocument,
  TransfersDocument,
  type TransferStatus,
  type TransfersQuery,
} from '../../graphql/api.generated';
import { can, type Me } from '../session';

type Transfer = TransfersQuery['transfers']['items'][number];
const PAGE_SIZE = 20;

/** 振込状況: the contract's transfers (makers see their own); approvers decide the pending ones of others. */
export function TransfersPage({ me }: { me: Me }) {
  const approver = can(me, 'TRANSFER_APPROVAL');
  const [status, setStatus] = useState<TransferStatus | ''>(approver ? 'PENDING_APPROVAL' : '');
  const [cursors, setCursors] = useState<Array<number | undefined>>([undefined]);
  const [page, setPage] = useState<TransfersQuery['transfers'] | null>(null);
  const [deciding, setDeciding] = useState<{ transfer: Transfer; decision: 'approve' | 'reject' } | null>(null);
  const [decided, setDecided] = useState<string | null>(null);
  const list = useAction();

  // Only the latest list is shown: an earlier answer arriving late must not replace it.
  const latest = useRef(0);
  const load = async (before: number | undefined, stack: Array<number | undefined>) => {
    const mine = ++latest.current;
    const result = await list.run(() => gql(TransfersDocument, { status: status || null, before: before ?? null, first: PAGE_SIZE }));
    if (result && mine === latest.current) {
      setPage(result.transfers);
      setCursors(stack);
    }
  };
  useEffect(() => {
    load(undefined, [undefined]);
  }, [status]);

  return (
    <section>
      <h1>振込状況・承認</h1>
      {decided && <Notice kind="success">{decided}</Notice>}
      <div class="card filters">
        <Select
          label="状態"
          value={status}
          onValue={(v) => setStatus(v as TransferStatus | '')}
          options={[['', 'すべて'], ...Object.entries(TRANSFER_STATUS)]}
        />
        <button type="button" class="secondary" onClick={() => load(undefined, [undefined])}>
          最新の情報に更新
        </button>
      </div>
      <ErrorBox error={list.error} />
      {deciding && (
        <DecisionForm
          {...deciding}
          onCancel={() => setDeciding(null)}
          onDone={(message) => {
            setDeciding(null);
            setDecided(message);
            load(undefined, [undefined]);
          }}
        />
      )}
      {page && (
        <div class="card">
          {page.items.length === 0 ? (
            <p>該当する振込はありません。</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>受付番号</th>
                  <th>作成日時</th>
                  <th>振込先</th>
                  <th>受取人名</th>
                  <th class="num">金額</th>
                  <th>作成者</th>
                  <th>状態</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {page.items.map((t) => (
                  <tr key={t.id} data-testid={`transfer-${t.id}`}>
                    <td>{t.id}</td>
                    <td>{dateTime(t.createdAt)}</td>
                    <td>
                      {t.destinationBankCode}-{t.destinationBranchCode} {label(ACCOUNT_TYPE, t.destinationAccountType)}{' '}
                      {t.destinationAccountNumber}
                    </td>
                    <td>{t.payeeName}</td>
                    <td class="num">{yen(t.amount)}</td>
                    <td>{t.maker.displayName}</td>
                    <td>
                      {label(TRANSFER_STATUS, t.status)}
                      {t.status === 'EXECUTED' && <div class="hint">{businessDate(t.businessDate)} 実行</div>}
                      {t.status === 'REJECTED' && t.rejectionReason && <div class="hint">理由: {t.rejectionReason}</div>}
                      {t.approver && <div class="hint">承認者: {t.approver.displayName}</div>}
                    </td>
                    <td>
                      {approver && t.status === 'PENDING_APPROVAL' && t.maker.loginId !== me.loginId && (
                        <span class="row-actions">
                          <button type="button" onClick={() => setDeciding({ transfer: t, decision: 'approve' })}>
                            承認
                          </button>
                          <button type="button" class="secondary" onClick={() => setDeciding({ transfer: t, decision: 'reject' })}>
                            差戻し
                          </button>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div class="pager">
            <button
              type="button"
              class="secondary"
              disabled={list.busy || cursors.length <= 1}
              onClick={() => load(cursors[cursors.length - 2], cursors.slice(0, -1))}
            >
              前のページ
            </button>
            <button
              type="button"
              class="secondary"
              disabled={list.busy || page.nextCursor === null}
              onClick={() => load(page.nextCursor ?? undefined, [...cursors, page.nextCursor ?? undefined])}
            >
              次のページ
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function DecisionForm({
  transfer,
  decision,
  onCancel,
  onDone,
}: {
  transfer: Transfer;
  decision: 'approve' | 'reject';
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction();
  const verb = decision === 'approve' ? '承認' : '差戻し';
  const submit = async (e: Event) => {
    e.preventDefault();
    const result =
      decision === 'approve'
        ? await action.run(
            async () => (await gql(ApproveTransferDocument, { transferId: transfer.id, confirmationPassword })).approveTransfer,
          )
        : await action.run(
            async () => (await gql(RejectTransferDocument, { transferId: transfer.id, reason, confirmationPassword })).rejectTransfer,
          );
    setConfirmationPassword('');
    if (result) onDone(`受付番号 ${result.id} を${verb}しました（状態: ${label(TRANSFER_STATUS, result.status)}）。`);
  };
  return (
    <form class="card decision" onSubmit={submit} aria-label={`振込の${verb}`}>
      <h2>
        受付番号 {transfer.id} の{verb}
      </h2>
      <p>
        {transfer.payeeName} 様へ <strong>{yen(transfer.amount)}</strong>（作成者: {transfer.maker.displayName}）
      </p>
      {decision === 'reject' && <Field label="差戻しの理由" value={reason} onValue={setReason} required maxLength={200} />}
      <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required />
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={onCancel} disabled={action.busy}>
          やめる
        </button>
        <button type="submit" disabled={action.busy || !confirmationPassword || (decision === 'reject' && !reason.trim())}>
          {verb}する
        </button>
      </div>
    </form>
  );
}
