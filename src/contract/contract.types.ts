import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { YenScalar } from '../common/money';
import { Access, VisibleTo } from '../graphql/access';
import { ContractStatus, PasskeyApproval, type Contract } from './contract.entity';
import { NoticeTopic } from '../notices/notice-topic';
import '../notices/notice.types';

registerEnumType(ContractStatus, {
  name: 'ContractStatus',
  description: 'ACTIVE; STOPPED: emergency stop (only the bank resumes); TERMINATED: cancelled, certificates refused',
});

registerEnumType(PasskeyApproval, {
  name: 'PasskeyApproval',
  description: '取引認証 for approvals: REQUIRED (every approval takes a passkey) or OPTIONAL (none does); null: the bank’s rule by amount',
});

@VisibleTo(Access.ADMIN_OR_OPERATOR)
@ObjectType()
export class ContractView {
  @Field(() => Int)
  id!: number;

  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field(() => ContractStatus)
  status!: ContractStatus;

  @Field(() => Date, { nullable: true })
  statusChangedAt!: Date | null;

  @Field(() => [String], { description: 'Addresses the contract’s users may connect from; empty: anywhere' })
  ipAllowList!: string[];

  @Field(() => YenScalar, { description: '利用限度額 of the whole contract per business day' })
  dailyTransferLimit!: number;

  @Field(() => YenScalar, {
    description: '利用限度額 for salary and bonus transfers (給与・賞与振込) per debit date, apart from dailyTransferLimit; 0: none',
  })
  dailySalaryTransferLimit!: number;

  @Field({ description: 'Transfers wait for a second user’s approval' })
  requiresApproval!: boolean;

  @Field(() => PasskeyApproval, {
    nullable: true,
    description: '取引認証 for approvals; null: required from PASSKEY_APPROVAL_REQUIRED_FROM yen (the bank’s rule)',
  })
  passkeyApproval!: PasskeyApproval | null;
  @Field(() => [NoticeTopic], { description: 'メール通知設定: the notices the user concerned gets by e-mail' })
  userNoticeTopics!: NoticeTopic[];

  @Field(() => [NoticeTopic], { description: 'メール通知設定: the notices the contract’s administrators get by e-mail' })
  administratorNoticeTopics!: NoticeTopic[];

  @Field()
  createdAt!: Date;
}

export function toContractView(contract: Contract): ContractView {
  return {
    id: contract.id,
    code: contract.code,
    name: contract.name,
    status: contract.status,
    statusChangedAt: contract.statusChangedAt,
    ipAllowList: contract.ipAllowList ? contract.ipAllowList.split(',') : [],
    dailyTransferLimit: contract.dailyTransferLimit,
    dailySalaryTransferLimit: contract.dailySalaryTransferLimit,
    requiresApproval: contract.requiresApproval,
    passkeyApproval: contract.passkeyApproval,
    userNoticeTopics: contract.userNoticeTopics,
    administratorNoticeTopics: contract.administratorNoticeTopics,
    createdAt: contract.createdAt,
  };
}
