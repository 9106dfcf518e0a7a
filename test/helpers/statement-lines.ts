import { StatementDirection, type StatementLine } from '../../src/banking/accounts/statement-line.entity';

export type Movement = [businessDate: string, direction: StatementDirection, amount: number, description: string];

/** Movements of the kinds the gateway books (振込 in and out, 口座振替, 総合振込), in the month given as YYYY-MM. */
export function sampleMovements(month: string): Movement[] {
  return [
    [`${month}-01`, StatementDirection.CREDIT, 3_500_000, '振込 カ)サンプルショウジ'],
    [`${month}-01`, StatementDirection.DEBIT, 1_200_000, '振込 ユ)デモブッサン'],
    [`${month}-02`, StatementDirection.DEBIT, 88_000, '口座振替 デンキリョウキン'],
    [`${month}-05`, StatementDirection.DEBIT, 10_000, '総合振込 テスト 0001'],
  ];
}

/** Statement lines as the bank books them, from `opening`: each with the balance it left. */
export function bookedLines(accountId: number, opening: number, movements: Movement[]): Array<Omit<StatementLine, 'id'>> {
  let balance = opening;
  return movements.map(([businessDate, direction, amount, description]) => {
    balance += direction === StatementDirection.CREDIT ? amount : -amount;
    const occurredAt = new Date(`${businessDate}T01:00:00Z`);
    return {
      accountId,
      occurredAt,
      businessDate,
      direction,
      amount,
      balanceAfter: balance,
      description,
      transferId: null,
      bulkTransferId: null,
    };
  });
}
