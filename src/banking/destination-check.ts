import { DomainError, ErrorCode } from '../common/domain-error';
import { findBank, findBranch } from './zengin/bank-directory';
import { checkDestination, ProblemList } from './zengin/transfer-lines';

/** A destination's bank and branch as the zengin-code directory names them when the order is made. */
export interface DestinationNames {
  bankName: string;
  bankNameKana: string;
  branchName: string;
  branchNameKana: string;
}

/** The input fields a destination's codes came in (createTransfer's, or a payee's). */
export interface DestinationFields {
  bankCode: string;
  branchCode: string;
}

/**
 * A destination typed by a person (a single transfer, a registered payee) checked by the same rule
 * as a bulk transfer's lines: the bank and the branch exist in the zengin-code directory. An
 * unknown one is BAD_USER_INPUT naming the field (DESIGN.md §6.9: no unknown bank is paid); an
 * unknown branch's message names the bank, so the customer sees which bank they reached.
 */
export function checkedDestination(bankCode: string, branchCode: string, fields: DestinationFields): DestinationNames {
  const problems = new ProblemList(1);
  const names = checkDestination(problems, 0, bankCode, branchCode);
  const problem = problems.items[0];
  if (!names || problem) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, problem?.message ?? 'The destination is not in the bank directory.', {
      field: problem?.field === 'bankCode' ? fields.bankCode : fields.branchCode,
    });
  }
  return {
    bankName: names.bankName,
    bankNameKana: findBank(bankCode)?.kana ?? '',
    branchName: names.branchName,
    branchNameKana: findBranch(bankCode, branchCode)?.kana ?? '',
  };
}
