import { Role } from '../users/user.entity';

/** What a locked user is told: who can unlock them (R10: the administrator for users, the bank for administrators and operators). */
export function lockedMessage(role: Role): string {
  return role === Role.USER
    ? 'This user ID is locked after repeated wrong passwords. Ask your administrator to reset your passwords.'
    : 'This user ID is locked after repeated wrong passwords. Please contact the bank.';
}
