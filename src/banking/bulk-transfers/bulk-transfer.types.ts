import { ArgsType, Field, ObjectType, registerEnumType } from 'type-graphql';
import { PageOf } from '../../common/pagination';
import { Access, VisibleTo } from '../../graphql/access';
import { OrderListArgsOf } from '../orders/payment-order.types';
import { LinePageOf, LinesOrderView, OrderLineFields } from '../lines/order-line.types';
import { BulkTransferStatus } from './bulk-transfer.entity';

registerEnumType(BulkTransferStatus, {
  name: 'BulkTransferStatus',
  description:
    'All lines together: PENDING_APPROVAL → SCHEDULED (予約: waiting for its execution date) → EXECUTED or FAILED; or REJECTED; ' +
    'or CANCELLED (予約取消) before it ran',
});

@VisibleTo(Access.TRANSFER_OR_APPROVAL_OR_ADMIN)
@ObjectType({ description: 'One line of a bulk transfer, with the official bank and branch names' })
export class BulkTransferLineView extends OrderLineFields {}

@VisibleTo(Access.TRANSFER_OR_APPROVAL_OR_ADMIN)
@ObjectType()
export class BulkTransferLinePage extends LinePageOf(BulkTransferLineView) {}

@VisibleTo(Access.TRANSFER_OR_APPROVAL_OR_ADMIN)
@ObjectType({ description: '総合振込: many transfers from one account, confirmed, approved, limited and executed together' })
export class BulkTransferView extends LinesOrderView {
  @Field({ description: 'The bank business day it runs on; its total counts against this day’s limits' })
  executionDate!: string;

  @Field(() => BulkTransferStatus)
  status!: BulkTransferStatus;
}

@VisibleTo(Access.TRANSFER_OR_APPROVAL)
@ObjectType()
export class BulkTransferPage extends PageOf(BulkTransferView) {}

@ArgsType()
export class BulkTransfersArgs extends OrderListArgsOf(BulkTransferStatus) {}
