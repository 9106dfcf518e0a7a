import { useEffect, useState } from 'preact/hooks';
import { ACCOUNT_TYPE, label } from '../../../common/labels';
import type { ErrorFacts } from '../../../common/messages';
import { ErrorBox, Field, Notice, Pager, toFacts, useAction } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import { DeletePayeeDocument, PayeesDocument, type PayeeFieldsFragment } from '../../../graphql/api.generated';
import { placeText } from '../transfer/TransferSummary';

const PAGE = 20;

/** 振込先管理 › 振込先一覧: the contract's registered payees, searched and paged, each changed or deleted (after a second look). */
export function PayeesPage() {
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  // The cursors of the pages seen so far (null: the first page), for 前へ/次へ.
  const [cursors, setCursors] = useState<Array<number | null>>([null]);
  const [page, setPage] = useState<{ items: PayeeFieldsFragment[]; next: number | null } | null>(null);
  const [error, setError] = useState<ErrorFacts | null>(null);
  const [deleting, setDeleting] = useState<PayeeFieldsFragment | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  const action = useAction();

  const load = (cursor: number | null, stack: Array<number | null>, text = applied) => {
    setError(null);
    gql(PayeesDocument, { search: text || null, after: cursor, first: PAGE })
      .then(({ payees }) => {
        setPage({ items: payees.items, next: payees.nextCursor ?? null });
        setCursors(stack);
      })
      .catch((e) => setError(toFacts(e)));
  };
  useEffect(() => load(null, [null]), []);

  const remove = async (payee: PayeeFieldsFragment) => {
    const result = await action.run(() => gql(DeletePayeeDocument, { payeeId: payee.id }));
    if (!result) return;
    setDeleting(null);
    setDeleted(result.deletePayee.nickname);
    load(cursors[cursors.length - 1], cursors);
  };

  return (
    <section>
      <h1>振込先一覧</h1>
      <p>
        <a class="button" href="#/payees/new">
          振込先を登録する
        </a>
      </p>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(search.trim());
          setDeleted(null);
          load(null, [null], search.trim());
        }}
      >
        <Field label="登録名・受取人名・口座番号" value={search} onValue={setSearch} autocomplete="off" />
        <button type="submit">検索</button>
      </form>
      {deleted && (
        <Notice kind="success">
          <p>振込先「{deleted}」を削除しました。</p>
        </Notice>
      )}
      <ErrorBox error={error ?? action.error} />
      {page && page.items.length === 0 && <p>{applied ? '該当する振込先はありません。' : '登録済みの振込先はありません。'}</p>}
      {page && page.items.length > 0 && (
        <table class="card payees" aria-label="振込先">
          <thead>
            <tr>
              <th scope="col">登録名</th>
              <th scope="col">金融機関・支店</th>
              <th scope="col">科目・口座番号</th>
              <th scope="col">受取人名</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((p) => (
              <tr key={p.id} data-testid={`payee-row-${p.id}`}>
                <td>{p.nickname}</td>
                <td>
                  {placeText(p.bankName, p.bankCode, '金融機関')} {placeText(p.branchName, p.branchCode, '支店')}
                </td>
                <td>
                  {label(ACCOUNT_TYPE, p.accountType)} {p.accountNumber}
                </td>
                <td>{p.payeeName}</td>
                <td class="row-actions">
                  <a href={`#/payees/${p.id}`} aria-label={`${p.nickname}を変更`}>
                    変更
                  </a>{' '}
                  <button type="button" class="secondary" aria-label={`${p.nickname}を削除…`} onClick={() => setDeleting(p)}>
                    削除…
                  </button>
                  {deleting?.id === p.id && (
                    <div class="confirm" role="alertdialog" aria-label="振込先の削除の確認">
                      <p>振込先「{p.nickname}」を削除します。よろしいですか？（作成済みの振込は変わりません）</p>
                      <button type="button" class="danger" disabled={action.busy} onClick={() => remove(p)}>
                        削除する
                      </button>
                      <button type="button" class="secondary" onClick={() => setDeleting(null)}>
                        やめる
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && <Pager busy={action.busy} cursors={cursors} next={page.next} load={load} labels={['前の20件', '次の20件']} />}
    </section>
  );
}
