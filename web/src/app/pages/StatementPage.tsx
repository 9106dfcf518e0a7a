import { useEffect, useRef, useState } from 'preact/hooks';
import { businessDate, daysBefore, dateTime, tokyoToday, yen } from '../../common/format';
import { DIRECTION, accountText, label } from '../../common/labels';
import { ErrorBox, Field, Select, toFacts, useAction, NoAccounts, Pager } from '../../common/ui';
import type { ErrorFacts } from '../../common/messages';
import { gql } from '../../graphql/client';
import { AccountChoicesDocument, StatementDocument, type AccountChoicesQuery, type StatementQuery } from '../../graphql/api.generated';
import { routeParam } from '../session';
import { DownloadChoice } from '../../common/downloads';

const PAGE_SIZE = 20;

/** 入出金明細: one account, a date range (business days in Japan), newest first, page by page. */
export function StatementPage() {
  const [accounts, setAccounts] = useState<AccountChoicesQuery['accounts'] | null>(null);
  const [accountId, setAccountId] = useState(routeParam('account') ?? '');
  const today = tokyoToday();
  const [from, setFrom] = useState(daysBefore(today, 30));
  const [to, setTo] = useState(today);
  // The cursors of the pages seen so far: [undefined] is the newest page.
  const [cursors, setCursors] = useState<Array<number | undefined>>([undefined]);
  const [page, setPage] = useState<StatementQuery['statement'] | null>(null);
  const [loadError, setLoadError] = useState<ErrorFacts | null>(null);
  const action = useAction();

  useEffect(() => {
    gql(AccountChoicesDocument, {})
      .then((r) => {
        setAccounts(r.accounts);
        if (!accountId && r.accounts[0]) setAccountId(String(r.accounts[0].id));
      })
      .catch((e) => setLoadError(toFacts(e)));
  }, []);

  // Only the latest request is shown: an earlier answer arriving late must not replace it.
  const latest = useRef(0);
  const show = async (before: number | undefined, stack: Array<number | undefined>) => {
    const mine = ++latest.current;
    const result = await action.run(() =>
      gql(StatementDocument, {
        accountId: Number(accountId),
        from: from || null,
        to: to || null,
        before: before ?? null,
        first: PAGE_SIZE,
      }),
    );
    if (result && mine === latest.current) {
      setPage(result.statement);
      setCursors(stack);
    }
  };

  return (
    <section>
      <h1>入出金明細</h1>
      <ErrorBox error={loadError} />
      {accounts?.length === 0 && <NoAccounts />}
      <form
        class="card filters"
        onSubmit={(e) => {
          e.preventDefault();
          show(undefined, [undefined]);
        }}
      >
        <Select
          label="口座"
          value={accountId}
          onValue={setAccountId}
          options={(accounts ?? []).map((a) => [String(a.id), accountText(a)])}
        />
        <Field label="照会開始日" type="date" value={from} onValue={setFrom} />
        <Field label="照会終了日" type="date" value={to} onValue={setTo} />
        <button type="submit" disabled={action.busy || !accountId}>
          照会
        </button>
      </form>
      {accounts && accounts.length > 0 && (
        <div class="card">
          <DownloadChoice
            name="入出金明細"
            choices={['csv-shift_jis', 'csv-utf-8', 'zengin']}
            href={(query) =>
              accountId && from && to && from <= to ? `/downloads/statement?${new URLSearchParams({ accountId, from, to })}&${query}` : null
            }
          />
          <p class="hint">
            上の口座・期間の入出金を、古い順にすべて書き出します。CSVは表計算ソフトや会計ソフトに、全銀形式は全銀フォーマットに対応した会計ソフトに取り込めます。
          </p>
        </div>
      )}
      <ErrorBox error={action.error} />
      {page && (
        <div class="card">
          {page.items.length === 0 ? (
            <p>この期間の入出金はありません。</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>日付</th>
                  <th>時刻</th>
                  <th>摘要</th>
                  <th class="num">お支払金額</th>
                  <th class="num">お預り金額</th>
                  <th class="num">残高</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((line) => (
                  <tr key={line.id}>
                    <td>{businessDate(line.businessDate)}</td>
                    <td>{dateTime(line.occurredAt).slice(11)}</td>
                    <td>{line.description}</td>
                    <td class="num">{line.direction === 'DEBIT' ? yen(line.amount) : ''}</td>
                    <td class="num">{line.direction === 'CREDIT' ? yen(line.amount) : ''}</td>
                    <td class="num">{yen(line.balanceAfter)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p class="hint">
            {cursors.length}ページ目（{PAGE_SIZE}件ずつ、新しい順）・{label(DIRECTION, 'DEBIT')}と{label(DIRECTION, 'CREDIT')}
          </p>
          <Pager
            busy={action.busy}
            cursors={cursors}
            next={page.nextCursor ?? null}
            load={(c, stack) => show(c ?? undefined, stack)}
            labels={['前のページ（新しい明細）', '次のページ（古い明細）']}
          />
        </div>
      )}
    </section>
  );
}
