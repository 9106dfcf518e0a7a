import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Access, VisibleTo } from '../graphql/access';

export enum LoginAttemptResult {
  /** Logged in. */
  SUCCESS = 'SUCCESS',
  /** A wrong login password (PIN). */
  WRONG_PASSWORD = 'WRONG_PASSWORD',
  /** The user ID was locked by consecutive wrong passwords. */
  LOCKED = 'LOCKED',
}

registerEnumType(LoginAttemptResult, {
  name: 'LoginAttemptResult',
  description: 'SUCCESS; WRONG_PASSWORD: a wrong PIN; LOCKED: the user ID was locked by consecutive wrong passwords',
});

@VisibleTo(Access.SESSION)
@ObjectType({ description: 'One login of the caller (ログイン履歴)' })
export class LoginRecord {
  @Field()
  occurredAt!: Date;

  @Field(() => String, { nullable: true, description: 'The address the login came from' })
  sourceAddress!: string | null;

  @Field(() => LoginAttemptResult, { description: 'How the attempt ended' })
  result!: LoginAttemptResult;
}
