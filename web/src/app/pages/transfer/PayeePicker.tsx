import { useEffect, useState } from 'preact/hooks';
import { ACCOUNT_TYPE, label } from '../../../common/labels';
import { ErrorBox, Field, toFacts } from '../../../common/ui';
import type { ErrorFacts } from '../../../common/messages';
import { gql } from '../../../graphql/client';
import { PayeesDocument, type PayeeFieldsFragment } from '../../../graphql/api.generated';
import { placeText } from './TransferSummary';

const PAGE = 10;

/** 振込先 chosen from 振込先登録: searched by 登録名, 受取人名 (any kana width) or account number, as the person types. */
export function PayeePicker({
  chosen,
  onChoose,
  error,
}: {
  chosen: PayeeFieldsFragment | null;
  onChoose: (payee: PayeeFieldsFragment | null) => void;
  error?: string;
}) {
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<PayeeFieldsFragment[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [failure, setFailure] = useState<ErrorFacts | null>(null);

  useEffect(() => {
    let current = true;
    const timer = window.setTimeout(() => {
      gql(PayeesDocument, { search: search.trim() || null, after: null, first: PAGE })
        .then(({ payees }) => {
          if (!current) return;
          setFound(payees.items);
          setNext(payees.nextCursor ?? null);
        })
        .catch((e) => current && setFailure(toFacts(e)));
    }, 250);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [search]);

  const more = async () => {
    const { payees } = await gql(PayeesDocument, { search: search.trim() || null, after: next, first: PAGE });
    setFound((list) => [...(list ?? []), ...payees.items]);
    setNext(payees.nextCursor ?? null);
  };

  if (chosen) {
    return (
      <div class="card" data-testid="chosen-payee">
        <p>
          振込先: <strong>{chosen.nickname}</strong>（{placeText(chosen.bankName, chosen.bankCode, '金融機関')}・
          {placeText(chosen.branchName, chosen.branchCode, '支店')}・{label(ACCOUNT_TYPE, chosen.accountType)} {chosen.accountNumber}・
          {chosen.payeeName}）
        </p>
        <button type="button" class="secondary" onClick={() => onChoose(null)}>
          別の振込先を選ぶ
        </button>
      </div>
    );
  }

  return (
    <div class="card">
      <Field
        label="振込先を検索"
        value={search}
        onValue={setSearch}
        hint="登録名・受取人名（カナ・ひらがな）・口座番号の一部"
        autocomplete="off"
        error={error}
      />
      <ErrorBox error={failure} />
      {found && found.length === 0 && <p>該当する振込先はありません。</p>}
      {found && found.length > 0 && (
        <table aria-label="登録済みの振込先">
          <thead>
            <tr>
              <th scope="col">登録名</th>
              <th scope="col">金融機関・支店</th>
              <th scope="col">科目・口座番号</th>
              <th scope="col">受取人名</th>
              <th scope="col">
                <span class="visually-hidden">選択</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {found.map((p) => (
              <tr key={p.id} data-testid={`payee-${p.id}`}>
                <td>{p.nickname}</td>
                <td>
                  {placeText(p.bankName, p.bankCode, '金融機関')} {placeText(p.branchName, p.branchCode, '支店')}
                </td>
                <td>
                  {label(ACCOUNT_TYPE, p.accountType)} {p.accountNumber}
                </td>
                <td>{p.payeeName}</td>
                <td>
                  <button type="button" class="secondary" aria-label={`${p.nickname}に振り込む`} onClick={() => onChoose(p)}>
                    選択
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== null && (
        <button type="button" class="secondary" onClick={more}>
          さらに表示
        </button>
      )}
    </div>
  );
}
