import type { Account } from '../accounts/account.entity';
import type { ZenginAccount, ZenginProblem } from './transfer-lines';
import { ACCOUNT_TYPE_DIGIT } from './zengin-layout';

const TYPE_NAMES: Record<Account['accountType'], string> = { ORDINARY: '普通 (1)', CURRENT: '当座 (2)', SAVINGS: '貯蓄 (4)' };

/**
 * A Zengin header names the account paid from (仕向銀行, 支店, 預金種目, 口座番号): it must be this
 * bank (BANK_CODE, named BANK_NAME in the message) and exactly the account the customer chose to pay from, or the file is meant
 * for another account and nothing is done (DESIGN.md §6.9). Each field that differs is its own
 * problem on record 1.
 */
export function headerAccountProblems(header: ZenginAccount, bank: { code: string; name: string }, account: Account): ZenginProblem[] {
  const problems: ZenginProblem[] = [];
  const differs = (field: ZenginProblem['field'], value: string, message: string) =>
    problems.push({ record: 1, field, message: `${message} Nothing was done.`, value });
  if (header.bankCode !== bank.code) {
    differs(
      'bankCode',
      header.bankCode,
      `The header names bank ${header.bankCode} (仕向銀行番号); this bank is ${bank.code} ${bank.name}.`,
    );
  }
  if (header.branchCode !== account.branchCode) {
    differs(
      'branchCode',
      header.branchCode,
      `The header names branch ${header.branchCode} (仕向支店番号); the account paid from is at branch ${account.branchCode}.`,
    );
  }
  if (header.accountType !== account.accountType) {
    differs(
      'accountType',
      ACCOUNT_TYPE_DIGIT[header.accountType],
      `The header names account type ${TYPE_NAMES[header.accountType]} (預金種目); the account paid from is ${TYPE_NAMES[account.accountType]}.`,
    );
  }
  if (header.accountNumber !== account.accountNumber) {
    differs(
      'accountNumber',
      header.accountNumber,
      `The header names account ${header.accountNumber} (口座番号); the account paid from is ${account.accountNumber}.`,
    );
  }
  return problems;
}
