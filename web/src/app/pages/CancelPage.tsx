import { useState } from 'preact/hooks';
import { typedNumber } from '../../common/format';
import { TRANSFER_STATUS, label } from '../../common/labels';
import { ErrorBox, Field, Notice, PasswordField, Select, useAction } from '../../common/ui';
import { ORDER_KIND, cancelOrder, kindsFor, type OrderKind } from '../orders/orders';
import type { Me } from '../session';

/**
 * 予約取消 by 受付番号: the maker's own order, or — for the administrator — any order of the contract,
 * also one they cannot list (an administrator without 振込・承認 rights).
 */
export function CancelPage({ me }: { me: Me }) {
  const kinds = kindsFor(me, 'cancel');
  const [kind, setKind] = useState<OrderKind>(kinds[0]);
  const [id, setId] = useState('');
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const digits = typedNumber(id);
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    const result = await action.run(() => cancelOrder({ kind, id: Number(digits) }, confirmationPassword));
    setConfirmationPassword('');
    if (result)
      setDone(`受付番号 ${result.id}（${ORDER_KIND[kind]}）の予約を取り消しました（状態: ${label(TRANSFER_STATUS, result.status)}）。`);
  };
  return (
    <section>
      <h1>予約取消</h1>
      <p>
        承認待ち、または振込指定日を待っている{kinds.map((k) => ORDER_KIND[k]).join('・')}
        を、実行前に取り消します。取り消した振込は元に戻せません。
      </p>
      {done && <Notice kind="success">{done}</Notice>}
      <form class="card" onSubmit={submit} aria-label="予約取消">
        <Select label="種類" value={kind} onValue={(v) => setKind(v as OrderKind)} options={kinds.map((k) => [k, ORDER_KIND[k]])} />
        <Field label="受付番号" inputMode="numeric" value={id} onValue={setId} required />
        <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required />
        <ErrorBox error={action.error} />
        <button type="submit" disabled={action.busy || !/^\d+$/.test(digits) || !confirmationPassword}>
          予約を取り消す
        </button>
      </form>
    </section>
  );
}
