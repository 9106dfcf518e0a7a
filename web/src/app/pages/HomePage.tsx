import { useEffect, useState } from 'preact/hooks';
import { dateTime, yen } from '../../common/format';
import { ACCOUNT_TYPE, label } from '../../common/labels';
import { ErrorBox, NoAccounts, toFacts } from '../../common/ui';
import type { ErrorFacts } from '../../common/messages';
import { gql } from '../../graphql/client';
import { AccountsDocument, type AccountsQuery } from '../../graphql/api.generated';
import { ORDER_KIND, kindsFor, ordersToApprove, type OrderKind } from '../orders/orders';
import { can, type Me } from '../session';

/** 「（うち総合振込 1件、給与・賞与振込 2件）」: the kinds paid to many at once, when there are any. */
function among(pending: Record<OrderKind, number>): string {
  const parts = (['bulk', 'salary'] as const).filter((kind) => pending[kind] > 0).map((kind) => `${ORDER_KIND[kind]} ${pending[kind]}件`);
  return parts.length ? `（うち${parts.join('、')}）` : '';
}

/** The first page after login: the previous login time, balances and transfers waiting for approval. */
export function HomePage({ me }: { me: Me }) {
  const [accounts, setAccounts] = useState<AccountsQuery['accounts'] | null>(null);
  const [pending, setPending] = useState<(Record<OrderKind, number> & { all: number }) | null>(null);
  const [error, setError] = useState<ErrorFacts | null>(null);
  useEffect(() => {
    if (can(me, 'ACCOUNT_INQUIRY')) {
      gql(AccountsDocument, {})
        .then((r) => setAccounts(r.accounts))
        .catch((e) => setError(toFacts(e)));
    }
    if (kindsFor(me, 'decide').length > 0) {
      ordersToApprove(me)
        .then(({ orders }) => {
          const count = (kind: OrderKind) => orders.filter((o) => o.kind === kind).length;
          setPending({ all: orders.length, single: count('single'), bulk: count('bulk'), salary: count('salary') });
        })
        .catch((e) => setError(toFacts(e)));
    }
  }, [me]);
  return (
    <section>
      <h1>トップ</h1>
      <div class="card login-facts">
        <p>
          前回ログイン日時:{' '}
          <strong data-testid="previous-login-home">
            {me.previousLoginAt ? dateTime(me.previousLoginAt) : 'なし（初めてのログイン）'}
          </strong>
        </p>
        <p class="hint">
          今回のログイン: {dateTime(me.lastLoginAt)}。前回ログイン日時に覚えがない場合は、すぐに管理者または当金庫にご連絡ください。
        </p>
      </div>
      <ErrorBox error={error} />
      {pending !== null && pending.all > 0 && (
        <div class="card">
          <p data-testid="pending-approvals">
            承認待ちの振込が <strong>{pending.all}件</strong>
            {among(pending)} あります。 <a href="#/approvals">承認待ち一覧へ</a>
          </p>
        </div>
      )}
      {accounts?.length === 0 && <NoAccounts />}
      {accounts && accounts.length > 0 && (
        <div class="card">
          <h2>口座残高</h2>
          <table>
            <thead>
              <tr>
                <th>支店</th>
                <th>科目</th>
                <th>口座番号</th>
                <th class="num">残高</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.id}>
                  <td>{a.branchName}</td>
                  <td>{label(ACCOUNT_TYPE, a.accountType)}</td>
                  <td>{a.accountNumber}</td>
                  <td class="num">{a.balance === null ? '—' : yen(a.balance)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
