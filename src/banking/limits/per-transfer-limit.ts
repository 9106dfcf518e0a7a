import { DomainError, ErrorCode, LimitKind } from '../../common/domain-error';
import { yenText } from '../../common/money';
import type { User } from '../../users/user.entity';

/** One transfer under the per-transfer limit: a single transfer, or a line of a bulk transfer (`record`, said as `label`). */
export interface TransferAmount {
  amount: number;
  record?: number;
  /** How the line is named to the user: "record 3" of a file, "line 2" of JSON lines. */
  label?: string;
}

/**
 * The per-transfer limit (利用限度額 per transfer) of the maker, read fresh: every transfer of an
 * order, of any kind, is under it, or the order is refused with one LIMIT_EXCEEDED shape
 * (`record` naming the line of a bulk transfer) and nothing is done.
 */
export function assertWithinPerTransferLimit(maker: User, transfers: readonly TransferAmount[]): void {
  const limitAmount = maker.transferLimitPerTransaction;
  const over = transfers.find((transfer) => transfer.amount > limitAmount);
  if (!over) return;
  const which = over.label ? `The transfer of ${over.label} (${yenText(over.amount)})` : 'This transfer';
  throw new DomainError(
    ErrorCode.LIMIT_EXCEEDED,
    `${which} exceeds your per-transfer limit of ${yenText(limitAmount)}; nothing was done.`,
    {
      limit: LimitKind.PER_TRANSFER,
      limitAmount,
      remaining: limitAmount,
      ...(over.record === undefined ? {} : { record: over.record }),
    },
  );
}
