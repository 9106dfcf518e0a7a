import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { checkedDestination, type DestinationNames } from '../../banking/destination-check';

const text = (name: string, length: number) => new TableColumn({ name, type: 'varchar', length: String(length), isNullable: true });

const NAME_COLUMNS = ['destinationBankName', 'destinationBankNameKana', 'destinationBranchName', 'destinationBranchNameKana'] as const;

/**
 * Transfers keep the bank and branch names of their destination as the directory gave them when
 * they were made, and the transfer date the customer asked for (振込指定日). Transfers made before
 * get their names from the directory now, once per bank and branch: the nearest to what they
 * were. A code the directory does not know (accepted before codes were checked) keeps null names:
 * a name is never made up.
 */
export class TransferDestinations1765000000000 implements MigrationInterface {
  name = 'TransferDestinations1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('transfers', [text('requestedDate', 10), ...NAME_COLUMNS.map((column) => text(column, 64))]);
    const pairs: Array<{ bankCode: string; branchCode: string }> = await queryRunner.query(
      'SELECT DISTINCT destinationBankCode AS bankCode, destinationBranchCode AS branchCode FROM transfers',
    );
    for (const { bankCode, branchCode } of pairs) {
      const names = directoryNames(bankCode, branchCode);
      if (!names) continue;
      await queryRunner.query(
        `UPDATE transfers SET ${NAME_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE destinationBankCode = ? AND destinationBranchCode = ?`,
        [names.bankName, names.bankNameKana, names.branchName, names.branchNameKana, bankCode, branchCode],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of [...NAME_COLUMNS, 'requestedDate']) await queryRunner.dropColumn('transfers', column);
  }
}

function directoryNames(bankCode: string, branchCode: string): DestinationNames | undefined {
  try {
    return checkedDestination(bankCode, branchCode, { bankCode: 'bankCode', branchCode: 'branchCode' });
  } catch {
    return undefined;
  }
}
