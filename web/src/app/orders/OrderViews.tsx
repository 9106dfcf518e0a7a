import type { ComponentChildren } from 'preact';
import { businessDate, dateTime, yen } from '../../common/format';
import { ACCOUNT_TYPE, BULK_TRANSFER_SOURCE, HOLD_RULE, SALARY_CATEGORY, TRANSFER_STATUS, accountText, label } from '../../common/labels';
import type { HoldRule } from '../../graphql/api.generated';
import { describeError } from '../../common/messages';
import { ORDER_KIND, orderAmount, orderKey, orderPath, type Order } from './orders';

/** Where a single transfer goes: 金融機関・支店 with the directory's names kept when it was made (codes alone for old ones), 科目 and 口座番号. */
export function destinationText(order: Extract<Order, { kind: 'single' }>): string {
  const bank = order.destinationBankName
    ? `${order.destinationBankName}（${order.destinationBankCode}）`
    : `金融機関 ${order.destinationBankCode}`;
  const branch = order.destinationBranchName
    ? `${order.destinationBranchName}（${order.destinationBranchCode}）`
    : `支店 ${order.destinationBranchCode}`;
  return `${bank}・${branch} ${label(ACCOUNT_TYPE, order.destinationAccountType)} ${order.destinationAccountNumber}`;
}

const failure = (code: string) => describeError({ code, message: '', extensions: {} });

/** The status, and what happened to the order, in words. */
export function StatusText({ order }: { order: Order }) {
  return (
    <>
      <span data-testid="order-status">{label(TRANSFER_STATUS, order.status)}</span>
      {order.status === 'EXECUTED' && order.executedAt && <div class="hint">{dateTime(order.executedAt)} 実行</div>}
      {order.status === 'REJECTED' && order.rejectionReason && <div class="hint">理由: {order.rejectionReason}</div>}
      {order.status === 'FAILED' && order.failureCode && <div class="hint">{failure(order.failureCode)}</div>}
      {order.holdRule && (order.status === 'HELD' || order.status === 'PENDING_APPROVAL') && (
        <HoldText rule={order.holdRule} status={order.status} />
      )}
      {order.approver && <div class="hint">承認者: {order.approver.displayName}</div>}
    </>
  );
}

/**
 * When an order runs. A salary transfer pays the employees on its payday and debits the account the
 * business day before (its executionDate); it must be approved before its submission deadline.
 */
function dateRows(order: Order): Array<[string, string]> {
  if (order.kind !== 'salary') return [['振込指定日（実行日）', businessDate(order.executionDate)]];
  return [
    ['振込指定日（支給日）', businessDate(order.payday)],
    ['引落日（前営業日）', businessDate(order.executionDate)],
    ['受付期限（承認の締切）', dateTime(order.submissionDeadline)],
  ];
}

/** The day shown in a list: the payday for a salary transfer, with its debit date. */
function OrderDay({ order }: { order: Order }) {
  if (order.kind !== 'salary') return <>{businessDate(order.executionDate)}</>;
  return (
    <>
      {businessDate(order.payday)}
      <div class="hint">引落 {businessDate(order.executionDate)}</div>
    </>
  );
}

/**
 * Why an order is held (保留中) and what happens next: the bank calls the customer back on the
 * number it holds before releasing it — said so that a customer told otherwise by a caller knows.
 */
function HoldText({ rule, status }: { rule: HoldRule; status: Order['status'] }) {
  return (
    <div class="hint" data-testid="hold-reason">
      {status === 'HELD' ? '保留の理由' : '承認後に保留されます'}: {label(HOLD_RULE, rule)}。
      当金庫から届出の電話番号にご連絡し、ご本人に確認のうえ実行します。当金庫が暗証番号やパスワードをお尋ねすることはありません。
    </div>
  );
}

/** Everything about one order, as the approver must see it before deciding and as the 受付票 prints it. */
export function OrderSummary({ order, children }: { order: Order; children?: ComponentChildren }) {
  const rows: Array<[string, ComponentChildren]> = [
    ['受付番号', order.id],
    ['種類', ORDER_KIND[order.kind]],
    ['状態', <StatusText order={order} />],
    ['受付日時', dateTime(order.createdAt)],
    ...dateRows(order),
    ['支払口座', accountText(order.account)],
  ];
  if (order.kind === 'single') {
    rows.push(
      ['振込先', destinationText(order)],
      ['受取人名', order.payeeName],
      ['振込金額', <strong class="amount">{yen(order.amount)}</strong>],
    );
  } else {
    rows.push(
      ['作成方法', label(BULK_TRANSFER_SOURCE, order.source)],
      ...(order.kind === 'salary' ? [['区分', label(SALARY_CATEGORY, order.category)] as [string, string]] : []),
      ['振込依頼人名', order.requesterName ?? '—'],
      ['件数', `${order.lineCount}件`],
      ['合計金額', <strong class="amount">{yen(order.totalAmount)}</strong>],
    );
  }
  rows.push([
    '作成者',
    order.partnerName
      ? `連携先「${order.partnerName}」（${order.maker.displayName}（${order.maker.loginId}）の同意による）`
      : `${order.maker.displayName}（${order.maker.loginId}）`,
  ]);
  if (order.decidedAt) rows.push([order.status === 'CANCELLED' ? '取消日時' : '承認・差戻し日時', dateTime(order.decidedAt)]);
  return (
    <dl class="summary" data-testid={`summary-${orderKey(order)}`}>
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      {children}
    </dl>
  );
}

/** A list of orders of both kinds, with everything an approver decides on; optionally selectable. */
export function OrderTable({
  orders,
  selected,
  onSelect,
  caption,
}: {
  orders: Order[];
  selected?: Set<string>;
  onSelect?: (order: Order, on: boolean) => void;
  caption: string;
}) {
  return (
    <table class="orders">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {onSelect && <th scope="col">選択</th>}
          <th scope="col">受付番号</th>
          <th scope="col">種類</th>
          <th scope="col">受付日時</th>
          <th scope="col">振込指定日</th>
          <th scope="col">支払口座</th>
          <th scope="col">振込先・受取人名</th>
          <th scope="col" class="num">
            金額
          </th>
          <th scope="col">作成者</th>
          <th scope="col">状態</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={orderKey(o)} data-testid={`order-${orderKey(o)}`}>
            {onSelect && (
              <td>
                <input
                  type="checkbox"
                  aria-label={`受付番号 ${o.id}（${ORDER_KIND[o.kind]}）を選択`}
                  checked={selected?.has(orderKey(o)) ?? false}
                  onChange={(e) => onSelect(o, (e.target as HTMLInputElement).checked)}
                />
              </td>
            )}
            <td>
              <a href={`#${orderPath(o)}`} aria-label={`受付番号 ${o.id} の詳細`}>
                {o.id}
              </a>
            </td>
            <td>{ORDER_KIND[o.kind]}</td>
            <td>{dateTime(o.createdAt)}</td>
            <td>
              <OrderDay order={o} />
            </td>
            <td>{accountText(o.account)}</td>
            <td>
              {o.kind === 'single' ? (
                <>
                  <div>{destinationText(o)}</div>
                  <div>{o.payeeName}</div>
                </>
              ) : (
                <div>
                  {o.kind === 'salary' && `${label(SALARY_CATEGORY, o.category)} `}
                  {o.lineCount}件{o.requesterName ? `（依頼人 ${o.requesterName}）` : ''}
                </div>
              )}
            </td>
            <td class="num">{yen(orderAmount(o))}</td>
            <td>
              {o.maker.displayName}
              {o.partnerName && <div class="hint">連携先「{o.partnerName}」から</div>}
            </td>
            <td>
              <StatusText order={o} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
