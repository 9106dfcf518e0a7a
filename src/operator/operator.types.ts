import { Length, Matches } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { Access, VisibleTo } from '../graphql/access';
import { TemporaryPasswordsResult } from '../auth/credential.types';
import { EnrollmentCodeResult } from '../pki/certificate.types';
import { LOGIN_ID_PATTERN } from '../users/user.types';
import { YenScalar } from '../common/money';
import { ContractView } from '../contract/contract.types';

@InputType()
export class CreateContractInput {
  @Field({ description: 'The contract number, e.g. C0001234' })
  @Matches(/^[A-Z0-9]{4,16}$/, { message: 'code must be 4–16 upper-case letters or digits' })
  code!: string;

  @Field()
  @Length(1, 200)
  name!: string;

  @Field({ description: 'The master administrator’s login ID' })
  @Matches(LOGIN_ID_PATTERN, { message: 'administratorLoginId must be 4–32 lower-case letters, digits, ".", "_" or "-"' })
  administratorLoginId!: string;

  @Field()
  @Length(1, 100)
  administratorName!: string;
}

@VisibleTo(Access.OPERATOR)
@ObjectType({ description: 'A new contract and what its master administrator needs to start (shown once)' })
export class CreatedContract {
  @Field(() => ContractView)
  contract!: ContractView;

  @Field()
  administratorLoginId!: string;

  @Field(() => TemporaryPasswordsResult)
  temporaryPasswords!: TemporaryPasswordsResult;

  @Field(() => EnrollmentCodeResult)
  enrollmentCode!: EnrollmentCodeResult;
}

@InputType()
export class ContractTransferSettingsInput {
  @Field(() => YenScalar)
  dailyTransferLimit!: number;

  @Field()
  requiresApproval!: boolean;

  @Field(() => YenScalar, {
    nullable: true,
    description: '利用限度額 for salary and bonus transfers per debit date (with the 給与振込 agreement); left out: unchanged',
  })
  dailySalaryTransferLimit?: number | null;
}
