import type { RequestContext } from '../../graphql/context';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { checkedIdempotencyKey } from '../orders/idempotency';
import type { OrderCreation } from '../orders/order-creation';
import { normalizePayeeName } from '../payee-name';
import type { CreateTransferInput } from './transfer.types';
import type { Transfer } from './transfer.entity';
import { TRANSFER } from './transfer.kind';

/**
 * R5 and DESIGN.md §6.3: a single transfer under per-transfer, per-day user and per-day contract
 * limits, maker-checker approval, all or nothing — the life every payment order shares
 * (orders/), for one payee and one amount.
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
    const destination = {
      destinationBankCode: input.destinationBankCode,
      destinationBranchCode: input.destinationBranchCode,
      destinationAccountType: input.destinationAccountType,
      destinationAccountNumber: input.destinationAccountNumber,
    };
    const request = {
      operation: 'createTransfer',
      sameRequestFields: [input.fromAccountId, ...Object.values(destination), payeeName, input.amount],
      fromAccountId: input.fromAccountId,
      transfers: [{ amount: input.amount }],
      requestedDate: null,
      columns: { ...destination, payeeName, amount: input.amount },
    };
    return this.orders.create(TRANSFER, ctx, request, confirmationPassword, key);
  }
}
