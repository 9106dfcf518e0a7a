import { ACCOUNT_TYPE } from '../../../common/labels';
import type { AccountType, CreatePayeeInput } from '../../../graphql/api.generated';

/** A payee's destination as 取引認証 confirms it (the nickname is not confirmed: it is not where money goes). */
export function payeeFacts(d: Omit<CreatePayeeInput, 'nickname'>): Array<[string, string]> {
  return [
    ['金融機関・支店コード', `${d.bankCode}・${d.branchCode}`],
    ['口座', `${ACCOUNT_TYPE[d.accountType as AccountType] ?? d.accountType} ${d.accountNumber}`],
    ['受取人名', d.payeeName],
  ];
}
