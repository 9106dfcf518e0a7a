import type { RequestContext } from '../../graphql/context';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { checkedDestination } from '../destination-check';
import { checkedIdempotencyKey } from '../orders/idempotency';
import type { OrderCreation } from '../orders/order-creation';
import { normalizePayeeName } from '../payee-name';
import type { PayeeService } from '../payees/payee.service';
import type { CreateTransferInput } from './transfer.types';
import type { Transfer } from './transfer.entity';
import { TRANSFER } from './transfer.kind';
import { extend } from '../../common/extend';

/** Where a transfer goes: the columns it copies, from the input or from a registered payee. */
type Destination = Pick<
  Transfer,
  'destinationBankCode' | 'destinationBranchCode' | 'destinationAccountType' | 'destinationAccountNumber' | 'payeeName' | 'payeeId'
>;

const DESTINATION_FIELDS = [
  'destinationBankCode',
  'destinationBranchCode',
  'destinationAccountType',
  'destinationAccountNumber',
  'payeeName',
] as const;

/** The input fields a destination's bank and branch codes came in: a payee's are named by its id. */
const CODE_FIELDS = { bankCode: 'destinationBankCode', branchCode: 'destinationBranchCode' };
const PAYEE_CODE_FIELDS = { bankCode: 'payeeId', branchCode: 'payeeId' };

/**
 * R5 and DESIGN.md §6.3: a single transfer under per-transfer, per-day user and per-day contract
 * limits, maker-checker approval, all or nothing — the life every payment order shares
 * (orders/), for one payee and one amount, to a bank and branch the directory knows, on the day
 * asked for or the first day possible.
 */
export class TransferService {
  constructor(
    private readonly orders: OrderCreation,
    private readonly payees: PayeeService,
  ) {}

  /** A transfer to any bank account in Japan; an idempotency key makes a retry answer the first one's transfer. */
  async createTransfer(
    ctx: RequestContext,
    input: CreateTransferInput,
    confirmationPassword: string,
    idempotencyKey?: string | null,
  ): Promise<Transfer> {
    const key = checkedIdempotencyKey(idempotencyKey);
    const destination = await this.destinationOf(ctx, input);
    if (input.amount < 1) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The amount must be at least ¥1.', { field: 'amount' });
    // A payee's bank and branch were checked when it was registered; checked again, as the directory may have changed since.
    const names = checkedDestination(
      destination.destinationBankCode,
      destination.destinationBranchCode,
      destination.payeeId === null ? CODE_FIELDS : PAYEE_CODE_FIELDS,
    );
    const requestedDate = input.transferDate ?? null;
    const request = {
      operation: 'createTransfer',
      // In the order they always had; payeeId and the date only when given, so keys of requests without them keep their meaning.
      sameRequestFields: [
        input.fromAccountId,
        ...DESTINATION_FIELDS.map((field) => destination[field]),
        input.amount,
        ...(destination.payeeId === null ? [] : [destination.payeeId]),
        ...(requestedDate ? [requestedDate] : []),
      ],
      fromAccountId: input.fromAccountId,
      transfers: [{ amount: input.amount }],
      requestedDate,
      columns: extend(destination, {
        destinationBankName: names.bankName,
        destinationBankNameKana: names.bankNameKana,
        destinationBranchName: names.branchName,
        destinationBranchNameKana: names.branchNameKana,
        amount: input.amount,
      }),
    };
    return this.orders.create(TRANSFER, ctx, request, confirmationPassword, key);
  }

  /**
   * Exactly one of a registered payee and the destination fields. A payee's account and name are
   * copied as they are now: the transfer keeps them whatever later happens to the payee.
   */
  private async destinationOf(ctx: RequestContext, input: CreateTransferInput): Promise<Destination> {
    const given = DESTINATION_FIELDS.filter((field) => input[field] !== undefined && input[field] !== null);
    if (input.payeeId !== undefined && input.payeeId !== null) {
      if (given.length > 0) {
        throw new DomainError(ErrorCode.BAD_USER_INPUT, `Give either payeeId or the destination fields, not both (${given.join(', ')}).`, {
          field: 'payeeId',
        });
      }
      const payee = await this.payees.payee(ctx, input.payeeId);
      return {
        destinationBankCode: payee.bankCode,
        destinationBranchCode: payee.branchCode,
        destinationAccountType: payee.accountType,
        destinationAccountNumber: payee.accountNumber,
        payeeName: payee.payeeName,
        payeeId: payee.id,
      };
    }
    const { destinationBankCode, destinationBranchCode, destinationAccountType, destinationAccountNumber, payeeName } = input;
    if (!destinationBankCode || !destinationBranchCode || !destinationAccountType || !destinationAccountNumber || !payeeName) {
      const missing = DESTINATION_FIELDS.find((field) => !given.includes(field));
      throw new DomainError(
        ErrorCode.BAD_USER_INPUT,
        `Give a registered payee (payeeId), or every destination field (${missing} is missing).`,
        {
          field: given.length === 0 ? 'payeeId' : missing,
        },
      );
    }
    return {
      destinationBankCode,
      destinationBranchCode,
      destinationAccountType,
      destinationAccountNumber,
      payeeName: normalizePayeeName(payeeName),
      payeeId: null,
    };
  }
}
