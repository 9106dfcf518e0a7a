import type { RequestContext } from '../../graphql/context';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { checkedDestination } from '../destination-check';
import { checkedIdempotencyKey } from '../orders/idempotency';
import type { OrderCreation } from '../orders/order-creation';
import { normalizePayeeName } from '../payee-name';
import type { CreateTransferInput } from './transfer.types';
import type { Transfer } from './transfer.entity';
import { TRANSFER } from './transfer.kind';

const DESTINATION_FIELDS = { bankCode: 'destinationBankCode', branchCode: 'destinationBranchCode' };

/**
 * R5 and DESIGN.md §6.3: a single transfer under per-transfer, per-day user and per-day contract
 * limits, maker-checker approval, all or nothing — the life every payment order shares
 * (orders/), for one payee and one amount, to a bank and branch the directory knows, on the day
 * asked for or the first day possible.
 */
export class TransferService {
  constructor(private readonly orders: OrderCreation) {}

  /** A transfer to any bank account in Japan; an idempotency key makes a retry answer the first one's transfer. */
  async createTransfer(
    ctx: RequestContext,
    input: CreateTransferInput,
    confirmationPassword: string,
    idempotencyKey?: string | null,
  ): Promise<Transfer> {
    const key = checkedIdempotencyKey(idempotencyKey);
    const payeeName = normalizePayeeName(input.payeeName);
    if (input.amount < 1) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The amount must be at least ¥1.', { field: 'amount' });
    const names = checkedDestination(input.destinationBankCode, input.destinationBranchCode, DESTINATION_FIELDS);
    const destination = {
      destinationBankCode: input.destinationBankCode,
      destinationBranchCode: input.destinationBranchCode,
      destinationAccountType: input.destinationAccountType,
      destinationAccountNumber: input.destinationAccountNumber,
    };
    const requestedDate = input.transferDate ?? null;
    const request = {
      operation: 'createTransfer',
      // The date joins "the same request" only when one is asked for: keys of requests without one keep their meaning.
      sameRequestFields: [
        input.fromAccountId,
        ...Object.values(destination),
        payeeName,
        input.amount,
        ...(requestedDate ? [requestedDate] : []),
      ],
      fromAccountId: input.fromAccountId,
      transfers: [{ amount: input.amount }],
      requestedDate,
      columns: {
        ...destination,
        destinationBankName: names.bankName,
        destinationBankNameKana: names.bankNameKana,
        destinationBranchName: names.branchName,
        destinationBranchNameKana: names.branchNameKana,
        payeeName,
        amount: input.amount,
      },
    };
    return this.orders.create(TRANSFER, ctx, request, confirmationPassword, key);
  }
}
