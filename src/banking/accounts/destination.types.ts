import { Field, InputType } from 'type-graphql';
import { AccountType } from './account.entity';

/** An account at any bank in Japan and the name on it, as a client sends it: a registered payee's, or a line's of a bulk or salary transfer. */
@InputType()
export abstract class DestinationInput {
  @Field({ description: '金融機関コード: four digits, a bank of the Zengin directory' })
  bankCode!: string;

  @Field({ description: '支店番号: three digits, a branch of that bank' })
  branchCode!: string;

  @Field(() => AccountType)
  accountType!: AccountType;

  @Field({ description: '口座番号: seven digits' })
  accountNumber!: string;

  @Field({
    description: '受取人名 in katakana (half- or full-width, or hiragana), at most 30 half-width characters; stored as the bank records it',
  })
  payeeName!: string;
}
