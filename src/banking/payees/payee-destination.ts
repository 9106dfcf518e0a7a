import { DomainError, ErrorCode } from '../../common/domain-error';
import { checkedDestination, type DestinationNames } from '../destination-check';
import { checkAccountNumber, ProblemList } from '../zengin/transfer-lines';

/**
 * A payee's account checked as every destination is (destination-check.ts: the bank and branch
 * exist in the zengin-code directory) and its account number as a Zengin line's: seven digits.
 * The first problem is BAD_USER_INPUT naming its field; otherwise the directory's names.
 */
export function checkedPayeeAccount(destination: { bankCode: string; branchCode: string; accountNumber: string }): DestinationNames {
  const names = checkedDestination(destination.bankCode, destination.branchCode, { bankCode: 'bankCode', branchCode: 'branchCode' });
  const problems = new ProblemList();
  checkAccountNumber(problems, 0, destination.accountNumber);
  const [first] = problems.items;
  if (first) throw new DomainError(ErrorCode.BAD_USER_INPUT, first.message, { field: first.field });
  return names;
}
