import { SessionEndReason } from './session.entity';
import type { EntityManager } from 'typeorm';
import { User } from '../users/user.entity';
import { newUserRecord, type NewUser } from '../users/user.factory';
import type { Clock } from '../common/clock';
import { PasswordCheck } from './password-check.entity';
import { generatePassword } from './password-generator';
import type { PasswordHasher } from './password-hasher';
import type { SessionService } from './session.service';

export interface TemporaryPasswords {
  loginPassword: string;
  confirmationPassword: string;
}

export interface PreparedPasswords {
  plain: TemporaryPasswords;
  loginPasswordHash: string;
  confirmationPasswordHash: string;
}

/**
 * R7/R8/R10: temporary passwords set by a reset or at creation. They must be changed before
 * anything else; setting them clears the lock and ends the user's session.
 */
export class CredentialService {
  constructor(
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
  ) {}

  /** Hashing happens here, outside any transaction (it takes tens of milliseconds). */
  async prepareTemporaryPasswords(): Promise<PreparedPasswords> {
    const plain = { loginPassword: generatePassword(), confirmationPassword: generatePassword() };
    const [loginPasswordHash, confirmationPasswordHash] = await Promise.all([
      this.hasher.hash(plain.loginPassword),
      this.hasher.hash(plain.confirmationPassword),
    ]);
    return { plain, loginPasswordHash, confirmationPasswordHash };
  }

  /** A complete new user whose passwords are these temporary ones. */
  newUserWithTemporaryPasswords(fields: NewUser, prepared: PreparedPasswords): Omit<User, 'id' | 'contract'> {
    const { loginPasswordHash, confirmationPasswordHash } = prepared;
    return newUserRecord(fields, { loginPasswordHash, confirmationPasswordHash, temporary: true }, this.clock.now());
  }

  /** The columns of an existing user whose passwords are these temporary ones, unlocked, with no attempt counted. */
  private temporaryPasswordColumns(prepared: PreparedPasswords) {
    const now = this.clock.now();
    return {
      loginPasswordHash: prepared.loginPasswordHash,
      loginPasswordChangedAt: now,
      loginPasswordTemporary: true,
      confirmationPasswordHash: prepared.confirmationPasswordHash,
      confirmationPasswordChangedAt: now,
      confirmationPasswordTemporary: true,
      failedAttempts: 0,
      attemptsInFlight: 0,
      lockedAt: null,
    };
  }

  async applyTemporaryPasswords(m: EntityManager, userId: number, prepared: PreparedPasswords): Promise<void> {
    await m.update(User, { id: userId }, this.temporaryPasswordColumns(prepared));
    // The checks in flight lose their slots with the counts: none of them can record a result
    // (or be reclaimed) against the new count, so the counts never go below zero.
    await m.delete(PasswordCheck, { userId });
    await this.sessions.endAllForUser(m, userId, SessionEndReason.PASSWORD_RESET);
  }
}
