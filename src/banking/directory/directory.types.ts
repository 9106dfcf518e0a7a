import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { Access, VisibleTo } from '../../graphql/access';

@VisibleTo(Access.TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN)
@ObjectType({ description: 'A bank (金融機関) or branch (支店) as the zengin-code directory names it' })
export class DirectoryEntryView {
  @Field({ description: '金融機関コード (four digits) or 支店番号 (three digits)' })
  code!: string;

  @Field({ description: 'The name in kanji as the directory has it, without 銀行 or 支店 (e.g. 三井住友, 立売堀)' })
  name!: string;

  @Field({ description: 'The reading in full-width katakana, as the directory writes it (large kana: トウキヨウ)' })
  kana!: string;
}

@ArgsType()
export class DirectorySearchArgs {
  @Field({
    description:
      'A code prefix (digits), or part of the name (kanji) or of its reading (katakana, hiragana or half-width kana); ' +
      'at most 40 characters. Empty: the first ones by code',
  })
  search!: string;

  @Field(() => Int, { defaultValue: 20, description: '1 to 100' })
  @Min(1)
  @Max(100)
  first!: number;
}

@ArgsType()
export class BranchSearchArgs extends DirectorySearchArgs {
  @Field({ description: 'The bank’s four-digit code' })
  bankCode!: string;
}
