import { Role, UserStatus, type Permission, type User } from './user.entity';

/** What differs between new users; everything else starts the same for all of them. */
export interface NewUser {
  loginId: string;
  displayName: string;
  role: Role;
  /** Null for bank operators. */
  contractId: number | null;
  permissions?: Permission[];
  transferLimitPerTransaction?: number;
  dailyTransferLimit?: number;
  /** Where notices go; none unless given. */
  emailAddress?: string | null;
}

export interface NewUserPasswords {
  loginPasswordHash: string;
  confirmationPasswordHash: string;
  /** Set by the bank or an administrator: must be changed before anything else (R7, R11). */
  temporary: boolean;
}

/**
 * Every column of a new user ID, for the services, the demo data and the tests alike: a column
 * added to User fails to compile here rather than being forgotten in one of five copies.
 */
export function newUserRecord(fields: NewUser, passwords: NewUserPasswords, now: Date): Omit<User, 'id' | 'contract'> {
  return {
    contractId: fields.role === Role.OPERATOR ? null : fields.contractId,
    loginId: fields.loginId,
    displayName: fields.displayName,
    role: fields.role,
    status: UserStatus.ACTIVE,
    failedAttempts: 0,
    attemptsInFlight: 0,
    lockedAt: null,
    loginPasswordHash: passwords.loginPasswordHash,
    loginPasswordChangedAt: now,
    loginPasswordTemporary: passwords.temporary,
    confirmationPasswordHash: passwords.confirmationPasswordHash,
    confirmationPasswordChangedAt: now,
    confirmationPasswordTemporary: passwords.temporary,
    lastLoginAt: null,
    previousLoginAt: null,
    permissions: [...new Set(fields.permissions ?? [])].sort(),
    transferLimitPerTransaction: fields.transferLimitPerTransaction ?? 0,
    dailyTransferLimit: fields.dailyTransferLimit ?? 0,
    emailAddress: fields.emailAddress ?? null,
    pendingTransferLimitPerTransaction: null,
    pendingDailyTransferLimit: null,
    limitRaiseEffectiveAt: null,
    createdAt: now,
  };
}
