import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { EntityManager } from 'typeorm';
import { AuditAction } from '../../audit/audit-action';
import { auditActor } from '../../audit/audit-actor';
import { AuditOutcome } from '../../audit/audit-event.entity';
import type { AuditService } from '../../audit/audit.service';
import type { Clock } from '../../common/clock';
import { DomainError, ErrorCode, PasskeyRefusal } from '../../common/domain-error';
import type { Database } from '../../db/database';
import type { RequestContext } from '../../graphql/context';
import { User } from '../../users/user.entity';
import { callerContractId, callerUser } from '../caller';
import type { ConfirmationService } from '../confirmation.service';
import { answeredChallenge, boundChallenge, type ChallengeTarget, type PasskeyChallenges } from './passkey-challenges';
import { isPasskeyRefusal, passkeyRefused } from './passkey-errors';
import { assertionResponse, registrationResponse } from './passkey-response';
import { Passkey, PasskeyPurpose } from './passkey.entity';
import type { RelyingParty } from './relying-party';

/** A user's passkeys at most: one per PC or security key is plenty. */
const MAX_PASSKEYS = 10;

/** A challenge for the browser's prompt: the options for @simplewebauthn/browser, as JSON. */
export interface IssuedChallenge {
  optionsJSON: string;
  expiresAt: Date;
}

/** What a verified assertion proved. */
export interface VerifiedAssertion {
  passkeyId: number;
  binding: string;
}

/**
 * Passkeys (WebAuthn) for 取引認証: a user registers them after login with the confirmation
 * password, lists, names and removes them (the administrator may remove a user's); a decision
 * (an approval) is proved by an assertion over a challenge bound to the exact thing decided.
 * User verification is required; the signature counter only moves forward; every step is audited.
 */
export class PasskeyService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly challenges: PasskeyChallenges,
    private readonly rp: RelyingParty,
  ) {}

  /** The caller's own passkeys, oldest first. */
  list(ctx: RequestContext): Promise<Passkey[]> {
    return this.db.manager.find(Passkey, { where: { userId: callerUser(ctx).id }, order: { id: 'ASC' } });
  }

  /** A user of the administrator's contract, and their passkeys. */
  async listOfUser(ctx: RequestContext, userId: number): Promise<Passkey[]> {
    const user = await this.userOfContract(ctx, userId);
    return this.db.manager.find(Passkey, { where: { userId: user.id }, order: { id: 'ASC' } });
  }

  /** Registration, step one: options for navigator.credentials.create(), with a single-use challenge. */
  async beginRegistration(ctx: RequestContext): Promise<IssuedChallenge> {
    const user = callerUser(ctx);
    const own = await this.list(ctx);
    const challenge = await this.challenges.issue(user.id, PasskeyPurpose.REGISTRATION, (nonce) => nonce);
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      userName: user.loginId,
      userDisplayName: user.displayName,
      userID: new TextEncoder().encode(`cibg-user-${user.id}`),
      challenge: Buffer.from(challenge.challenge, 'base64url'),
      attestationType: 'none',
      excludeCredentials: own.map((p) => ({ id: p.credentialId, transports: transportsOf(p) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      timeout: (challenge.expiresAt.getTime() - challenge.createdAt.getTime()) | 0,
    });
    await this.db.transaction((m) => this.record(m, ctx, AuditAction.PASSKEY_REGISTRATION_STARTED, {}));
    return { optionsJSON: JSON.stringify(options), expiresAt: challenge.expiresAt };
  }

  /** Registration, step two: the browser's response, confirmed with the confirmation password. */
  async register(ctx: RequestContext, name: string, responseJSON: string, confirmationPassword: string): Promise<Passkey> {
    const user = callerUser(ctx);
    const response = registrationResponse(responseJSON, 'registration');
    if ((await this.list(ctx)).length >= MAX_PASSKEYS) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, `At most ${MAX_PASSKEYS} passkeys per user ID; remove one first.`, {
        field: 'registration',
      });
    }
    await this.confirmation.confirm(ctx, confirmationPassword);
    try {
      const challenge = await this.challenges.use(answered(response.response.clientDataJSON), user.id, PasskeyPurpose.REGISTRATION);
      const verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.id,
        requireUserVerification: true,
      }).catch(() => null);
      if (!verification?.verified || !verification.registrationInfo) throw passkeyRefused(PasskeyRefusal.NOT_VERIFIED);
      const { credential } = verification.registrationInfo;
      return await this.db.transaction(async (m) => {
        const passkey = await m.save(
          Passkey,
          m.create(Passkey, {
            userId: user.id,
            contractId: user.contractId,
            credentialId: credential.id,
            publicKey: Buffer.from(credential.publicKey).toString('base64url'),
            signCount: credential.counter,
            transports: (credential.transports ?? []).join(','),
            name,
            createdAt: this.clock.now(),
            lastUsedAt: null,
          }),
        );
        await this.record(m, ctx, AuditAction.PASSKEY_REGISTERED, { passkeyId: passkey.id, name });
        return passkey;
      });
    } catch (error) {
      if (isPasskeyRefusal(error)) {
        await this.db.transaction((m) =>
          this.record(m, ctx, AuditAction.PASSKEY_REGISTRATION_FAILED, { reason: error.details.reason }, AuditOutcome.FAILURE),
        );
      }
      throw error;
    }
  }

  /** The caller removes one of their own passkeys. */
  async remove(ctx: RequestContext, passkeyId: number, confirmationPassword: string): Promise<Passkey> {
    const user = callerUser(ctx);
    const passkey = await this.db.manager.findOneBy(Passkey, { id: passkeyId, userId: user.id });
    if (!passkey) throw passkeyNotFound(passkeyId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.delete(ctx, passkey, user);
  }

  /** The administrator removes a passkey of a user of their contract (a PC lost, a person leaving). */
  async removeOfUser(ctx: RequestContext, userId: number, passkeyId: number, confirmationPassword: string): Promise<Passkey> {
    const user = await this.userOfContract(ctx, userId);
    const passkey = await this.db.manager.findOneBy(Passkey, { id: passkeyId, userId: user.id });
    if (!passkey) throw passkeyNotFound(passkeyId);
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.delete(ctx, passkey, user);
  }

  /**
   * A challenge for one decision, bound to its target and binding: options for
   * navigator.credentials.get() offering the caller's passkeys, user verification required.
   */
  async challengeFor(ctx: RequestContext, purpose: PasskeyPurpose, target: ChallengeTarget): Promise<IssuedChallenge> {
    const user = callerUser(ctx);
    const own = await this.list(ctx);
    if (own.length === 0) {
      throw new DomainError(ErrorCode.PASSKEY_REQUIRED, 'You have no passkey: register one (パスキー管理) before approving with it.', {
        field: 'passkey',
      });
    }
    const challenge = await this.challenges.issue(
      user.id,
      purpose,
      (nonce) => boundChallenge(purpose, user.id, target.binding, nonce),
      target,
    );
    const options: PublicKeyCredentialRequestOptionsJSON = await generateAuthenticationOptions({
      rpID: this.rp.id,
      challenge: Buffer.from(challenge.challenge, 'base64url'),
      allowCredentials: own.map((p) => ({ id: p.credentialId, transports: transportsOf(p) })),
      userVerification: 'required',
      timeout: (challenge.expiresAt.getTime() - challenge.createdAt.getTime()) | 0,
    });
    await this.db.transaction((m) =>
      this.record(m, ctx, AuditAction.PASSKEY_APPROVAL_CHALLENGE_ISSUED, { purpose, ...target }, AuditOutcome.SUCCESS, target),
    );
    return { optionsJSON: JSON.stringify(options), expiresAt: challenge.expiresAt };
  }

  /**
   * Verifies an assertion for one decision against `expected` — the target and the binding as they
   * stand now, computed by the caller from what is stored: the challenge is used once (whatever
   * follows), must be this user's, for this purpose and this target, made from this binding; the
   * passkey the caller's; signature, origin, RP ID and user verification hold; the counter moves forward.
   * Every refusal is audited (in its own transaction) and nothing else changes.
   */
  async verifyAssertion(ctx: RequestContext, purpose: PasskeyPurpose, json: string, expected: ChallengeTarget): Promise<VerifiedAssertion> {
    const user = callerUser(ctx);
    const response = assertionResponse(json, 'passkeyAssertion');
    try {
      const challenge = await this.challenges.use(answered(response.response.clientDataJSON), user.id, purpose);
      if (challenge.targetType !== expected.targetType || challenge.targetId !== expected.targetId) {
        throw passkeyRefused(PasskeyRefusal.OTHER_ORDER);
      }
      if (challenge.binding !== expected.binding) throw passkeyRefused(PasskeyRefusal.ORDER_CHANGED);
      const passkey = await this.db.manager.findOneBy(Passkey, { credentialId: response.id, userId: user.id });
      if (!passkey) throw passkeyRefused(PasskeyRefusal.UNKNOWN_PASSKEY);
      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: boundChallenge(purpose, user.id, expected.binding, challenge.nonce),
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.id,
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
          counter: passkey.signCount,
          transports: transportsOf(passkey),
        },
        requireUserVerification: true,
      }).catch((error: unknown) => {
        // The library refuses a counter that did not move forward by throwing, as it does a bad signature.
        throw passkeyRefused(/counter/i.test(String((error as Error)?.message)) ? PasskeyRefusal.COUNTER : PasskeyRefusal.NOT_VERIFIED);
      });
      if (!verification.verified || !verification.authenticationInfo.userVerified) throw passkeyRefused(PasskeyRefusal.NOT_VERIFIED);
      const { newCounter } = verification.authenticationInfo;
      await this.db.transaction(async (m) => {
        // Forward only, decided by the database: two assertions racing with one counter value cannot both pass.
        const moved = await m
          .createQueryBuilder()
          .update(Passkey)
          .set({ signCount: newCounter, lastUsedAt: this.clock.now() })
          .where('id = :id', { id: passkey.id })
          .andWhere('(signCount < :next OR (signCount = 0 AND :next = 0))', { next: newCounter })
          .execute();
        if ((moved.affected ?? 0) === 0) throw passkeyRefused(PasskeyRefusal.COUNTER);
        await this.record(
          m,
          ctx,
          AuditAction.PASSKEY_ASSERTION_VERIFIED,
          { purpose, passkeyId: passkey.id, ...expected },
          AuditOutcome.SUCCESS,
          expected,
        );
      });
      return { passkeyId: passkey.id, binding: expected.binding };
    } catch (error) {
      if (isPasskeyRefusal(error)) {
        const detail = { purpose, reason: error.details.reason, ...expected };
        await this.db.transaction((m) => this.record(m, ctx, AuditAction.PASSKEY_ASSERTION_FAILED, detail, AuditOutcome.FAILURE, expected));
      }
      throw error;
    }
  }

  /** Whether the caller has a passkey (an approval where one is required asks for it). */
  async hasPasskey(userId: number): Promise<boolean> {
    return (await this.db.manager.countBy(Passkey, { userId })) > 0;
  }

  private async delete(ctx: RequestContext, passkey: Passkey, owner: User): Promise<Passkey> {
    return this.db.transaction(async (m) => {
      await m.delete(Passkey, { id: passkey.id });
      await this.record(m, ctx, AuditAction.PASSKEY_REMOVED, {
        passkeyId: passkey.id,
        name: passkey.name,
        userId: owner.id,
        loginId: owner.loginId,
      });
      return passkey;
    });
  }

  private async userOfContract(ctx: RequestContext, userId: number): Promise<User> {
    const user = await this.db.manager.findOneBy(User, { id: userId, contractId: callerContractId(ctx) });
    if (!user) throw new DomainError(ErrorCode.NOT_FOUND, `No user ${userId} in your contract.`, { field: 'userId' });
    return user;
  }

  private record(
    m: EntityManager,
    ctx: RequestContext,
    action: AuditAction,
    detail: Record<string, unknown>,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    target?: { targetType: string; targetId: number },
  ): Promise<void> {
    return this.audit.record(m, auditActor(ctx), {
      action,
      outcome,
      detail,
      ...(target ? { target: { type: target.targetType, id: target.targetId } } : {}),
    });
  }
}

function answered(clientDataJSON: string): string {
  const challenge = answeredChallenge(clientDataJSON);
  if (!challenge) throw passkeyRefused(PasskeyRefusal.UNKNOWN_CHALLENGE);
  return challenge;
}

function transportsOf(passkey: Passkey): AuthenticatorTransportFuture[] {
  return passkey.transports ? (passkey.transports.split(',') as AuthenticatorTransportFuture[]) : [];
}

function passkeyNotFound(passkeyId: number): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, `No passkey ${passkeyId} of this user.`, { field: 'passkeyId' });
}
