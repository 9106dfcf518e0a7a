import { useEffect, useState } from 'preact/hooks';
import { yen } from '../../common/format';
import { ACCOUNT_TYPE, label } from '../../common/labels';
import { ErrorBox, NoAccounts, toFacts } from '../../common/ui';
import type { ErrorFacts } from '../../common/messages';
import { gql } from '../../graphql/client';
import { AccountsDocument, type AccountsQuery } from '../../graphql/api.generated';

export function AccountsPage() {
  const [accounts, setAccounts] = useState<AccountsQuery['accounts'] | null>(null);
  const [error, setError] = useState<ErrorFacts | null>(null);
  const load = () =>
    gql(AccountsDocument, {})
      .then((r) => setAccounts(r.accounts))
      .catch((e) => setError(toFacts(e)));
  useEffect(() => {
    load();
  }, []);
  return (
    <section>
      <h1>口座一覧・残高</h1>
      <ErrorBox error={error} />
      {accounts?.length === 0 && <NoAccounts />}
      {accounts && accounts.length > 0 && (
        <table class="card">
          <thead>
            <tr>
              <th>支店</th>
              <th>科目</th>
              <th>口座番号</th>
              <th>口座名義</th>
              <th class="num">残高</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td>
                  {a.branchName}（{a.branchCode}）
                </td>
                <td>{label(ACCOUNT_TYPE, a.accountType)}</td>
                <td>{a.accountNumber}</td>
                <td>{a.holderName}</td>
                <td class="num">{a.balance === null ? '—' : yen(a.balance)}</td>
                <td>
                  <a href={`#/statement?account=${a.id}`}>入出金明細</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" class="secondary" onClick={load}>
        最新の情報に更新
      </button>
    </section>
  );
}
