import { useEffect, useRef, useState } from 'preact/hooks';
import { daysBefore, tokyoToday, typedNumber } from '../../common/format';
import { TRANSFER_STATUS } from '../../common/labels';
import { ErrorBox, Field, Notice, Select, useAction } from '../../common/ui';
import type { TransferStatus } from '../../graphql/api.generated';
import { ORDER_KIND, fetchOrder, kindsFor, searchOrders, type Order, type OrderKind } from '../orders/orders';
import type { Me } from '../session';
import { OrderTable } from '../orders/OrderViews';

type KindChoice = OrderKind | '';

/**
 * 振込結果照会: the contract's orders of the kinds the caller may read (makers see their own) by
 * 受付番号, or by 受付日 period, status and kind; each opens its details, 受付票 and 予約取消.
 */
export function TransfersPage({ me }: { me: Me }) {
  const readable = kindsFor(me, 'read');
  const today = tokyoToday();
  const [id, setId] = useState('');
  const [kind, setKind] = useState<KindChoice>('');
  const [status, setStatus] = useState<TransferStatus | ''>('');
  const [from, setFrom] = useState(daysBefore(today, 30));
  const [to, setTo] = useState(today);
  const [result, setResult] = useState<{ orders: Order[]; capped: boolean } | null>(null);
  const action = useAction();
  const latest = useRef(0);

  const digits = typedNumber(id);
  const search = async (e?: Event) => {
    e?.preventDefault();
    const mine = ++latest.current;
    const kinds: OrderKind[] = kind ? [kind] : readable;
    const found = await action.run(async () => {
      if (digits) {
        // One 受付番号: each kind has its own numbers, so both are asked unless a kind is chosen.
        const hits = await Promise.all(kinds.map((k) => fetchOrder(k, Number(digits)).catch(() => null)));
        return { orders: hits.filter((o): o is Order => o !== null), capped: false };
      }
      return searchOrders({ kinds, status: status || null, from: from || null, to: to || null });
    });
    if (found && mine === latest.current) setResult(found);
  };
  useEffect(() => {
    search();
  }, []);

  const idProblem = digits && !/^\d+$/.test(digits) ? '受付番号は数字で入力してください。' : null;
  return (
    <section>
      <h1>振込結果照会</h1>
      <form class="card filters" onSubmit={search} aria-label="検索条件">
        <Field label="受付番号" inputMode="numeric" value={id} onValue={setId} hint="指定すると、ほかの条件は使いません" />
        <Select
          label="種類"
          value={kind}
          onValue={(v) => setKind(v as KindChoice)}
          options={[['', 'すべて'], ...readable.map((k): [string, string] => [k, ORDER_KIND[k]])]}
        />
        <Select
          label="状態"
          value={status}
          onValue={(v) => setStatus(v as TransferStatus | '')}
          options={[['', 'すべて'], ...Object.entries(TRANSFER_STATUS)]}
        />
        <Field label="受付日（から）" type="date" value={from} onValue={setFrom} />
        <Field label="受付日（まで）" type="date" value={to} onValue={setTo} />
        <button type="submit" disabled={action.busy || Boolean(idProblem)}>
          検索
        </button>
      </form>
      {idProblem && <p class="field-error">{idProblem}</p>}
      <ErrorBox error={action.error} />
      {result && result.capped && (
        <Notice kind="warning">件数が多いため、新しいものから一部のみ表示しています。期間を短くしてください。</Notice>
      )}
      {result && (
        <div class="card">
          {result.orders.length === 0 ? (
            <p>条件に合う振込はありません。</p>
          ) : (
            <>
              <p class="hint">{result.orders.length}件。受付番号を押すと、詳細・受付票の印刷・予約取消ができます。</p>
              <OrderTable orders={result.orders} caption="振込結果照会の結果" />
            </>
          )}
        </div>
      )}
    </section>
  );
}
