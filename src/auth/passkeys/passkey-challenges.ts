import crypto from 'node:crypto';
import { IsNull, MoreThan } from 'typeorm';
import { PasskeyRefusal } from '../../common/domain-error';
import type { Clock } from '../../common/clock';
import type { Database } from '../../db/database';
import { PasskeyChallenge, type PasskeyPurpose } from './passkey.entity';
import { passkeyRefused } from './passkey-errors';
import { extend } from '../../common/extend';

/** What a challenge is issued for, besides its user and purpose. */
export interface ChallengeTarget {
  targetType: string;
  targetId: number;
  binding: string;
}

/**
 * Server-issued WebAuthn challenges: single use, short-lived, bound to one user and purpose (and,
 * for a decision, one order and its binding), kept in the database so that every instance honours
 * what another issued. Using one is a conditional UPDATE (`… WHERE usedAt IS NULL AND expiresAt > now`)
 * in a transaction of its own: of two uses racing on any instances exactly one wins, and no later
 * rollback gives a challenge back.
 */
export class PasskeyChallenges {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly lifetimeSeconds: number,
  ) {}

  /** A new challenge; `make` turns the nonce into the challenge (a registration: the nonce itself; a decision: bound to its binding). */
  async issue(
    userId: number,
    purpose: PasskeyPurpose,
    make: (nonce: string) => string,
    target?: ChallengeTarget,
  ): Promise<PasskeyChallenge> {
    const now = this.clock.now();
    const nonce = crypto.randomBytes(32).toString('base64url');
    const row = {
      challenge: make(nonce),
      nonce,
      userId,
      purpose,
      targetType: target?.targetType ?? null,
      targetId: target?.targetId ?? null,
      binding: target?.binding ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.lifetimeSeconds * 1000),
      usedAt: null,
    };
    const inserted = await this.db.transaction((m) => m.save(PasskeyChallenge, m.create(PasskeyChallenge, row)));
    return inserted;
  }

  /** Uses the challenge once for this user and purpose, or refuses with why (unknown, used, expired). */
  async use(challenge: string, userId: number, purpose: PasskeyPurpose): Promise<PasskeyChallenge> {
    const row = await this.db.manager.findOneBy(PasskeyChallenge, { challenge });
    if (!row || row.userId !== userId || row.purpose !== purpose) throw passkeyRefused(PasskeyRefusal.UNKNOWN_CHALLENGE);
    if (row.usedAt) throw passkeyRefused(PasskeyRefusal.CHALLENGE_USED);
    const now = this.clock.now();
    if (row.expiresAt <= now) throw passkeyRefused(PasskeyRefusal.CHALLENGE_EXPIRED);
    const used = await this.db.transaction((m) =>
      m.update(PasskeyChallenge, { id: row.id, usedAt: IsNull(), expiresAt: MoreThan(now) }, { usedAt: now }),
    );
    if ((used.affected ?? 0) === 0) throw passkeyRefused(PasskeyRefusal.CHALLENGE_USED);
    return extend(row, { usedAt: now });
  }
}

/** The challenge a WebAuthn response answers, read from its clientDataJSON (verified again by the library). */
export function answeredChallenge(clientDataJSON: string): string | null {
  try {
    const clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof clientData.challenge === 'string' && clientData.challenge.length <= 64 ? clientData.challenge : null;
  } catch {
    return null;
  }
}

/**
 * The challenge for one decision: SHA-256 over what is decided (its purpose and binding), who
 * decides, and the single-use server nonce — base64url, as the authenticator signs it. Computed
 * again at the decision from the thing as stored then, so a change in between fails verification.
 */
export function boundChallenge(purpose: PasskeyPurpose, userId: number, binding: string, nonce: string): string {
  return crypto
    .createHash('sha256')
    .update(`cibg-passkey-challenge/v1\n${purpose}\n${userId}\n${binding}\n${nonce}`, 'utf8')
    .digest('base64url');
}
