import { useEffect, useState } from 'preact/hooks';
import { businessDate, dateTime, yen } from '../../common/format';
import { ACCOUNT_TYPE, TRANSFER_STATUS, label } from '../../common/labels';
import type { ErrorFacts } from '../../common/messages';
import { ErrorBox, Field, Notice, PasswordField, toFacts, useAction, Pager } from '../../common/ui';
import { DownloadChoice } from '../../common/downloads';
import {
  ORDER_KIND,
  approveOrder,
  cancelOrder,
  cancellable,
  fetchLines,
  fetchOrder,
  kindsFor,
  rejectOrder,
  type LinesOrder,
  type Order,
  type OrderKind,
} from '../orders/orders';
import { OrderSummary, destinationText } from '../orders/OrderViews';
import { approvalAssertion, myPasskeys } from '../passkeys';
import type { Me } from '../session';

type Decision = 'approve' | 'reject' | 'cancel';
/** Where each kind paid to many payees keeps its result file (docs/downloads.md). */
const RESULT_FILE: Record<LinesOrder['kind'], string> = { bulk: 'bulk-transfer', salary: 'salary-transfer' };

const VERB: Record<Decision, string> = { approve: '承認', reject: '差戻し', cancel: '予約取消' };
const DONE: Record<Decision, (id: number) => string> = {
  approve: (id) => `受付番号 ${id} を承認しました`,
  reject: (id) => `受付番号 ${id} を差し戻しました`,
  cancel: (id) => `受付番号 ${id} の予約を取り消しました`,
};

/**
 * One order in full: the 受付票 (printable), a bulk or salary transfer's lines page by page and its
 * result file, and what the caller may do with it — approve or reject (approvers, not the maker), 予約取消
 * (the maker, or the administrator).
 */
export function OrderDetailPage({ me, kind, id }: { me: Me; kind: OrderKind; id: number }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<ErrorFacts | null>(null);
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = () =>
    fetchOrder(kind, id)
      .then(setOrder)
      .catch((e) => setError(toFacts(e)));
  useEffect(() => {
    setOrder(null);
    setDone(null);
    setDeciding(null);
    load();
  }, [kind, id]);

  const mine = order?.maker.loginId === me.loginId;
  // A partner's order in a contract without 承認 waits for its own person's approval (maker ≠ checker holds otherwise).
  const confirmsOwnPartnerOrder = mine && order?.partnerName != null && !me.contractRequiresApproval;
  const mayDecide = order?.status === 'PENDING_APPROVAL' && (!mine || confirmsOwnPartnerOrder) && kindsFor(me, 'decide').includes(kind);
  const mayCancel = order !== null && cancellable(order) && (mine || me.role === 'ADMIN');

  return (
    <section>
      <h1>
        {ORDER_KIND[kind]}の詳細（受付番号 {id}）
      </h1>
      <ErrorBox error={error} />
      {done && <Notice kind="success">{done}</Notice>}
      {order && (
        <>
          <section class="card print-sheet receipt" aria-label="受付票">
            <h2>{ORDER_KIND[kind]} 受付票</h2>
            <OrderSummary order={order} />
            <p class="hint print-only">印刷日時: {dateTime(new Date().toISOString())}</p>
          </section>
          <div class="actions no-print">
            <button type="button" class="secondary" onClick={() => window.print()}>
              受付票を印刷する
            </button>
            {mayDecide && (
              <>
                <button type="button" onClick={() => setDeciding('approve')}>
                  承認…
                </button>
                <button type="button" class="secondary" onClick={() => setDeciding('reject')}>
                  差戻し…
                </button>
              </>
            )}
            {mayCancel && (
              <button type="button" class="secondary" onClick={() => setDeciding('cancel')}>
                予約取消…
              </button>
            )}
          </div>
          {deciding && (
            <DecisionForm
              order={order}
              decision={deciding}
              onCancel={() => setDeciding(null)}
              onDone={(status) => {
                setDeciding(null);
                setDone(`${DONE[deciding](order.id)}（状態: ${label(TRANSFER_STATUS, status)}）。`);
                load();
              }}
            />
          )}
          {order.kind !== 'single' && order.status !== 'PENDING_APPROVAL' && (
            <div class="card no-print">
              <DownloadChoice
                name="結果ファイル"
                choices={['csv-shift_jis', 'csv-utf-8']}
                href={(query) => `/downloads/${RESULT_FILE[order.kind]}/${order.id}/result?${query}`}
              />
              <p class="hint">
                明細ごとの振込結果の一覧です。全銀形式の振込データには結果を記録する項目がないため、結果はCSVでお渡しします。
              </p>
            </div>
          )}
          {order.kind !== 'single' && <Lines order={order} />}
        </>
      )}
    </section>
  );
}

function DecisionForm({
  order,
  decision,
  onCancel,
  onDone,
}: {
  order: Order;
  decision: Decision;
  onCancel: () => void;
  onDone: (status: Order['status']) => void;
}) {
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [reason, setReason] = useState('');
  // 取引認証: with a passkey registered, an approval is proved by it (the server says when one is required).
  const [passkeys, setPasskeys] = useState<number | null>(null);
  useEffect(() => {
    if (decision === 'approve')
      myPasskeys().then(
        (list) => setPasskeys(list.length),
        () => setPasskeys(0),
      );
  }, [decision]);
  const action = useAction();
  const verb = VERB[decision];
  const withPasskey = decision === 'approve' && (passkeys ?? 0) > 0;
  const submit = async (e: Event) => {
    e.preventDefault();
    const result = await action.run(async () => {
      if (decision === 'approve') {
        const assertion = withPasskey ? await approvalAssertion(order) : null;
        return (await approveOrder(order, confirmationPassword, assertion)).status;
      }
      if (decision === 'reject') return (await rejectOrder(order, reason, confirmationPassword)).status;
      return (await cancelOrder(order, confirmationPassword)).status;
    });
    setConfirmationPassword('');
    if (result) onDone(result);
  };
  return (
    <form class="card decision no-print" onSubmit={submit} aria-label={`${ORDER_KIND[order.kind]}の${verb}`}>
      <h2>
        受付番号 {order.id} の{verb}
      </h2>
      {decision === 'cancel' && <p>この{ORDER_KIND[order.kind]}を取り消します。取り消した振込は元に戻せません。</p>}
      {decision === 'reject' && <Field label="差戻しの理由" value={reason} onValue={setReason} required maxLength={200} />}
      {withPasskey && <PasskeyFacts order={order} />}
      <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required autoFocus />
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={onCancel} disabled={action.busy}>
          やめる
        </button>
        <button
          type="submit"
          disabled={
            action.busy ||
            !confirmationPassword ||
            (decision === 'reject' && !reason.trim()) ||
            (decision === 'approve' && passkeys === null)
          }
        >
          {withPasskey ? 'パスキーで承認する' : `${verb}する`}
        </button>
      </div>
    </form>
  );
}

/**
 * What the passkey will sign for, said before the browser's prompt: the passkey's answer is bound to
 * exactly this payee, amount and date (and account), so the person checks them here.
 */
function PasskeyFacts({ order }: { order: Order }) {
  return (
    <section class="message info" aria-label="取引認証の内容" data-testid="passkey-facts">
      <p>次の内容をパスキーで認証します。内容を確かめてから、ブラウザーの確認（指紋・顔・暗証番号など）に進んでください。</p>
      <dl class="summary">
        {order.kind === 'single' ? (
          <>
            <dt>振込先</dt>
            <dd>
              {destinationText(order)} {order.payeeName}
            </dd>
            <dt>振込金額</dt>
            <dd>{yen(order.amount)}</dd>
          </>
        ) : (
          <>
            <dt>件数・合計金額</dt>
            <dd>
              {order.lineCount}件 {yen(order.totalAmount)}
            </dd>
          </>
        )}
        <dt>振込指定日（実行日）</dt>
        <dd>{businessDate(order.executionDate)}</dd>
      </dl>
    </section>
  );
}

const LINES_PAGE = 20;
type LinePage = Awaited<ReturnType<typeof fetchLines>>;

/** A bulk or salary transfer's lines, a page at a time, with the official bank and branch names. */
function Lines({ order }: { order: LinesOrder }) {
  const { kind, id, lineCount } = order;
  const [cursors, setCursors] = useState<Array<number | null>>([null]);
  const [page, setPage] = useState<LinePage | null>(null);
  const action = useAction();
  const load = async (after: number | null, stack: Array<number | null>) => {
    const result = await action.run(() => fetchLines(kind, id, after, LINES_PAGE));
    if (result) {
      setPage(result);
      setCursors(stack);
    }
  };
  useEffect(() => {
    load(null, [null]);
  }, [kind, id]);
  const first = page?.items[0]?.lineNumber ?? 0;
  const last = page?.items.at(-1)?.lineNumber ?? 0;
  const name = `${ORDER_KIND[kind]}の明細`;
  return (
    <section class="card lines" aria-label={name}>
      <h2>明細（全{lineCount}件）</h2>
      <ErrorBox error={action.error} />
      {page && (
        <>
          <p class="hint">
            {first}〜{last}件目を表示しています。
          </p>
          <table>
            <caption class="visually-hidden">{name}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  番号
                </th>
                <th scope="col">金融機関</th>
                <th scope="col">支店</th>
                <th scope="col">科目</th>
                <th scope="col">口座番号</th>
                <th scope="col">受取人名</th>
                <th scope="col" class="num">
                  金額
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((line) => (
                <tr key={line.lineNumber}>
                  <td class="num">{line.lineNumber}</td>
                  <td>
                    {line.bankName}（{line.bankCode}）
                  </td>
                  <td>
                    {line.branchName}（{line.branchCode}）
                  </td>
                  <td>{label(ACCOUNT_TYPE, line.accountType)}</td>
                  <td>{line.accountNumber}</td>
                  <td>{line.payeeName}</td>
                  <td class="num">{yen(line.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager busy={action.busy} cursors={cursors} next={page.nextCursor ?? null} load={load} labels={['前の明細', '次の明細']} />
        </>
      )}
    </section>
  );
}
