import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Access, VisibleTo } from '../graphql/access';
import { Permission, Role, UserStatus } from './user.entity';

registerEnumType(Role, { name: 'Role', description: 'OPERATOR: bank staff; ADMIN: the customer administrator; USER: a customer user' });
registerEnumType(Permission, {
  name: 'Permission',
  description:
    'Business permissions (業務権限): ACCOUNT_INQUIRY, TRANSFER, TRANSFER_APPROVAL, PAYEE_MANAGEMENT (振込先登録), ' +
    'SALARY_TRANSFER and SALARY_APPROVAL (給与・賞与振込)',
});
registerEnumType(UserStatus, { name: 'UserStatus' });

export const LOGIN_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{3,31}$/;
export const LOGIN_ID_RULE = 'loginId must be 4–32 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit';

@VisibleTo(Access.SESSION)
@ObjectType({ description: 'A user as shown on a transfer or a list' })
export class UserRef {
  @Field(() => Int)
  id!: number;

  @Field()
  loginId!: string;

  @Field()
  displayName!: string;
}

export function toUserRef(user: { id: number; loginId: string; displayName: string }): UserRef {
  return { id: user.id, loginId: user.loginId, displayName: user.displayName };
}
