import { Field, ObjectType } from 'type-graphql';
import { Access, VisibleTo } from '../graphql/access';

@VisibleTo(Access.ADMIN_OR_OPERATOR)
@ObjectType({ description: 'Shown once: hand them to the user by a separate channel' })
export class TemporaryPasswordsResult {
  @Field()
  loginPassword!: string;

  @Field()
  confirmationPassword!: string;
}
