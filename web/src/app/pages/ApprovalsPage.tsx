import { useEffect, useRef, useState } from 'preact/hooks';
import { yen } from '../../common/format';
import { TRANSFER_STATUS, label } from '../../common/labels';
import { describeError, type ErrorFacts } from '../../common/messages';
import { ErrorBox, Notice, PasswordField, toFacts, useAction } from '../../common/ui';
import { SESSION_ENDING } from '../../graphql/client';
import { ORDER_KIND, approveOrder, kindsFor, orderAmount, orderKey, orderPath, ordersToApprove, type Order } from '../orders/orders';
import { OrderTable } from '../orders/OrderViews';
import type { Me } from '../session';

type Outcome = { order: Order; done: Order } | { order: Order; error: ErrorFacts } | { order: Order; skipped: true };

/**
 * 承認待ち: others' orders waiting for approval, of the kinds the caller approves (振込・総合振込 with
 * 承認, 給与・賞与振込 with 給与・賞与振込（承認）), everything shown; 一括承認
 * decides the chosen ones one after another with one confirmation password, each on its own.
 */
export function ApprovalsPage({ me }: { me: Me }) {
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [capped, setCapped] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const list = useAction();
  const approving = useAction();
  const latest = useRef(0);

  const load = async () => {
    const mine = ++latest.current;
    const result = await list.run(() => ordersToApprove(me));
    if (result && mine === latest.current) {
      setOrders(result.orders);
      setCapped(result.capped);
      setSelected(new Set());
    }
  };
  useEffect(() => {
    load();
  }, []);

  const chosen = (orders ?? []).filter((o) => selected.has(orderKey(o)));
  const select = (order: Order, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(orderKey(order));
      else next.delete(orderKey(order));
      return next;
    });

  // One request per order (the server checks one password per request). A wrong password counts
  // toward the lock once per check, so the first LOGIN_FAILED (or a refusal that ends the session)
  // stops the run: the rest are left undecided.
  const approveChosen = async (e: Event) => {
    e.preventDefault();
    const password = confirmationPassword;
    setConfirmationPassword('');
    await approving.run(async () => {
      const results: Outcome[] = [];
      let stop = false;
      // Oldest first, as they came in.
      for (const order of [...chosen].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id)) {
        if (stop) {
          results.push({ order, skipped: true });
          continue;
        }
        try {
          results.push({ order, done: await approveOrder(order, password) });
        } catch (error) {
          const facts = toFacts(error);
          results.push({ order, error: facts });
          stop = facts.code === 'LOGIN_FAILED' || SESSION_ENDING.has(facts.code);
        }
      }
      setOutcomes(results);
      await load();
    });
  };

  const kinds = kindsFor(me, 'decide')
    .map((kind) => ORDER_KIND[kind])
    .join('・');
  return (
    <section>
      <h1>承認待ち一覧</h1>
      <p>ほかの方が作成した{kinds}のうち、承認を待っているものです。内容をご確認のうえ、承認するものを選んでください。</p>
      {outcomes && <Outcomes outcomes={outcomes} />}
      <ErrorBox error={list.error} />
      {orders && orders.length === 0 && <Notice>承認を待っている振込はありません。</Notice>}
      {capped && <Notice kind="warning">件数が多いため、新しいものから一部のみ表示しています。</Notice>}
      {orders && orders.length > 0 && (
        <div class="card">
          <OrderTable orders={orders} selected={selected} onSelect={select} caption={`承認待ちの${kinds}`} />
          <p class="hint">受付番号を押すと、明細を含む詳細を確認し、個別に承認・差戻しできます。差戻しは詳細画面から行ってください。</p>
        </div>
      )}
      {orders && orders.length > 0 && (
        <form class="card decision" onSubmit={approveChosen} aria-label="一括承認">
          <h2>一括承認</h2>
          <p data-testid="chosen-summary">
            選択: {chosen.length}件{chosen.length > 0 && `（合計 ${yen(chosen.reduce((sum, o) => sum + orderAmount(o), 0))}）`}
          </p>
          <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required />
          <p class="hint">
            選んだ振込を一件ずつ承認します。確認用パスワードが誤っていた場合は、その時点で中止します（誤りは1回として数えます）。
          </p>
          <ErrorBox error={approving.error} />
          <div class="actions">
            <button type="button" class="secondary" onClick={() => load()} disabled={approving.busy}>
              最新の情報に更新
            </button>
            <button type="submit" disabled={approving.busy || chosen.length === 0 || !confirmationPassword}>
              選択した{chosen.length}件を承認する
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Outcomes({ outcomes }: { outcomes: Outcome[] }) {
  const approved = outcomes.filter((o) => 'done' in o).length;
  return (
    <div class="message info" role="status" data-testid="approval-outcomes">
      <p>
        {outcomes.length}件中 {approved}件を承認しました。
      </p>
      <table class="outcomes">
        <caption class="visually-hidden">一括承認の結果</caption>
        <thead>
          <tr>
            <th scope="col">受付番号</th>
            <th scope="col">種類</th>
            <th scope="col">結果</th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((o) => (
            <tr key={orderKey(o.order)} data-testid={`outcome-${orderKey(o.order)}`}>
              <td>
                <a href={`#${orderPath(o.order)}`}>{o.order.id}</a>
              </td>
              <td>{ORDER_KIND[o.order.kind]}</td>
              <td>
                {'done' in o && `承認しました（状態: ${label(TRANSFER_STATUS, o.done.status)}）`}
                {'error' in o && `承認できませんでした: ${describeError(o.error)}`}
                {'skipped' in o && '未処理（確認用パスワードの誤りなどにより中止しました）'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
