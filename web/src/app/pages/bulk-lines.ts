import { typedNumber } from '../../common/format';
import type { AccountType, BulkTransferLineInput } from '../../graphql/api.generated';

/** 科目 as people write it in a sheet: 普通/当座/貯蓄, or the Zengin digits 1/2/4. */
const TYPED_ACCOUNT_TYPE: Record<string, AccountType> = {
  普通: 'ORDINARY',
  '1': 'ORDINARY',
  当座: 'CURRENT',
  '2': 'CURRENT',
  貯蓄: 'SAVINGS',
  '4': 'SAVINGS',
};

/** Lines typed or pasted from a spreadsheet: 金融機関コード, 支店番号, 科目, 口座番号, 受取人名, 金額 — by commas or tabs. */
/** Amounts may not carry commas here: the comma separates the items. */
export function parseLines(text: string): { lines: BulkTransferLineInput[]; problems: string[] } {
  const lines: BulkTransferLineInput[] = [];
  const problems: string[] = [];
  text
    .split(/\r?\n/)
    .map((row, index) => ({ row: row.trim(), number: index + 1 }))
    .filter(({ row }) => row !== '')
    .forEach(({ row, number }) => {
      const cells = row.split(/[,\t，]/).map((c) => c.trim());
      if (cells.length !== 6) {
        problems.push(`${number}行目: 項目は6つです（金融機関コード, 支店番号, 科目, 口座番号, 受取人名, 金額）。`);
        return;
      }
      const [bankCode, branchCode, type, accountNumber, payeeName, amount] = cells;
      const accountType = TYPED_ACCOUNT_TYPE[type];
      if (!accountType) problems.push(`${number}行目: 科目は「普通」「当座」「貯蓄」のいずれかです。`);
      const yenAmount = Number(typedNumber(amount));
      if (!Number.isSafeInteger(yenAmount) || yenAmount < 1) problems.push(`${number}行目: 金額は1円以上の整数です。`);
      lines.push({
        bankCode: typedNumber(bankCode),
        branchCode: typedNumber(branchCode),
        accountType: accountType ?? 'ORDINARY',
        accountNumber: typedNumber(accountNumber),
        payeeName,
        amount: yenAmount,
      });
    });
  return { lines, problems };
}
