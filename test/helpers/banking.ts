export const CREATE_TRANSFER = `mutation Create($input: CreateTransferInput!, $pw: String!) {
  createTransfer(input: $input, confirmationPassword: $pw) {
    id status amount payeeName businessDate
    maker { loginId } approver { loginId } account { id accountNumber balance }
  }
}`;

export const APPROVE =
  'mutation($id: Int!, $pw: String!) { approveTransfer(transferId: $id, confirmationPassword: $pw) { id status approver { loginId } account { balance } } }';
export const REJECT =
  'mutation($id: Int!, $pw: String!) { rejectTransfer(transferId: $id, reason: "wrong payee", confirmationPassword: $pw) { id status rejectionReason } }';
export const ACCOUNTS = '{ accounts { id branchCode branchName accountType accountNumber holderName balance } }';

export function transferInput(fromAccountId: number, amount: unknown, overrides: Record<string, unknown> = {}) {
  return {
    fromAccountId,
    destinationBankCode: '0009',
    destinationBranchCode: '123',
    destinationAccountType: 'ORDINARY',
    destinationAccountNumber: '7654321',
    payeeName: 'ｶ)ﾃﾞﾓ ｼｮｳｼﾞ',
    amount,
    ...overrides,
  };
}
