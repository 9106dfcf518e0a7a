import { businessDate, yen } from '../../../common/format';
import { ACCOUNT_TYPE, label } from '../../../common/labels';
import type { AccountType } from '../../../graphql/api.generated';

/** What a transfer's confirmation and its receipt show, in the order a bank's confirmation page does. */
export interface SummaryFacts {
  account: string;
  /** 登録名, for a registered payee. */
  nickname?: string | null;
  bankCode: string;
  bankName?: string | null;
  branchCode: string;
  branchName?: string | null;
  accountType: AccountType;
  accountNumber: string;
  payeeName: string;
  transferDate: string | null;
  amount: number;
}

/** 三井住友 (0009), or the code alone when the directory's name is not known. */
export function placeText(name: string | null | undefined, code: string, what: '金融機関' | '支店'): string {
  return name ? `${name}（${code}）` : `${what}コード ${code}`;
}

export function TransferSummary({ facts }: { facts: SummaryFacts }) {
  const rows: Array<[string, string, string?]> = [
    ['支払口座', facts.account],
    ...(facts.nickname ? ([['振込先（登録名）', facts.nickname]] as Array<[string, string]>) : []),
    ['金融機関', placeText(facts.bankName, facts.bankCode, '金融機関'), 'summary-bank'],
    ['支店', placeText(facts.branchName, facts.branchCode, '支店'), 'summary-branch'],
    ['科目・口座番号', `${label(ACCOUNT_TYPE, facts.accountType)} ${facts.accountNumber}`, 'summary-account'],
    ['受取人名', facts.payeeName, 'summary-payee-name'],
    ['振込指定日', facts.transferDate ? businessDate(facts.transferDate) : '最短の営業日', 'summary-date'],
  ];
  return (
    <dl class="card summary">
      {rows.map(([term, value, testId]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
      <div>
        <dt>振込金額</dt>
        <dd class="amount">{yen(facts.amount)}</dd>
      </div>
    </dl>
  );
}
