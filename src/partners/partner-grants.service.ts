import { In, IsNull, type FindOptionsWhere } from 'typeorm';
import { AuditAction } from '../audit/audit-action';
import { auditActor, systemActor } from '../audit/audit-actor';
import type { AuditService } from '../audit/audit.service';
import { callerContractId, callerUser } from '../auth/caller';
import type { ConfirmationService } from '../auth/confirmation.service';
import type { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { Account } from '../banking/accounts/account.entity';
import { Role, User } from '../users/user.entity';
import type { AuthorizationServer } from './authorization-server';
import { OAuthAdapter } from './oauth-adapter';
import { Partner } from './partner.entity';
import { PartnerGrant } from './partner-grant.entity';
import type { PartnerGrantView } from './partner.types';
import { SCOPE_PERMISSION, scopesOf } from './partner-scopes';
import { extend } from '../common/extend';

const DAY_MS = 24 * 3600 * 1000;

const noSuchConsent = (id: number) =>
  new DomainError(ErrorCode.NOT_FOUND, `There is no consent ${id} to a partner that you may manage.`, { field: 'grantId' });

/**
 * 連携先管理: the consents given to partners, as the people of a contract see them. Everyone sees
 * and revokes their own; the contract's administrator sees and revokes all of the contract's.
 * Only the person who consented renews a consent (it is their word, and their permissions). A
 * revocation takes effect at the partner's next request (the token check reads the row), and the
 * authorization server forgets the grant and its tokens at once.
 */
export class PartnerGrants {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly server: AuthorizationServer,
    private readonly settings: { consentDays: number },
  ) {}

  /** The consents not revoked, expired ones included (to be renewed), newest first. */
  list(ctx: RequestContext): Promise<PartnerGrant[]> {
    return this.db.manager.find(PartnerGrant, { where: this.manageable(ctx), order: { id: 'DESC' } });
  }

  async revoke(ctx: RequestContext, id: number, confirmationPassword: string): Promise<PartnerGrant> {
    const grant = await this.manageableGrant(ctx, id);
    await this.confirmation.confirm(ctx, confirmationPassword);
    const now = this.clock.now();
    const revoked = await this.db.transaction(async (m) => {
      // Conditional: of two revocations at once, one records it.
      const moved = await m.update(PartnerGrant, { id, revokedAt: IsNull() }, { revokedAt: now, revokedByUserId: callerUser(ctx).id });
      if (moved.affected !== 1) throw noSuchConsent(id);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PARTNER_CONSENT_REVOKED,
        target: { type: 'PartnerGrant', id },
        detail: { partnerId: grant.partnerId, grantedBy: grant.userId },
      });
      return m.findOneByOrFail(PartnerGrant, { id });
    });
    await this.dropFromAuthorizationServer(grant.grantId);
    return revoked;
  }

  /**
   * The partner revoked a token of this consent at /oauth/revoke (or the provider ended it, a code
   * replayed): the provider has dropped the grant and its tokens, and the consent ends with them.
   */
  async endedByAuthorizationServer(grantId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const grant = await m.findOneBy(PartnerGrant, { grantId, revokedAt: IsNull() });
      if (!grant) return;
      const moved = await m.update(PartnerGrant, { id: grant.id, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
      if (moved.affected !== 1) return;
      await this.audit.record(m, systemActor(grant.contractId), {
        action: AuditAction.PARTNER_CONSENT_REVOKED,
        target: { type: 'PartnerGrant', id: grant.id },
        detail: { partnerId: grant.partnerId, grantedBy: grant.userId, by: 'partner' },
      });
    });
  }

  /** Another PARTNER_CONSENT_DAYS from now, for the same partner, scopes and accounts; by the person who consented. */
  async renew(ctx: RequestContext, id: number, confirmationPassword: string): Promise<PartnerGrant> {
    const grant = await this.manageableGrant(ctx, id);
    const user = callerUser(ctx);
    if (grant.userId !== user.id)
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only the person who gave this consent can renew it.', { field: 'grantId' });
    if (!scopesOf(grant.scopes).some((scope) => user.permissions.includes(SCOPE_PERMISSION[scope])))
      throw new DomainError(ErrorCode.FORBIDDEN, 'You no longer have the permissions this consent gives.', { field: 'grantId' });
    await this.confirmation.confirm(ctx, confirmationPassword);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.settings.consentDays * DAY_MS);
    const renewed = await this.db.transaction(async (m) => {
      const moved = await m.update(PartnerGrant, { id, revokedAt: IsNull() }, { expiresAt, renewedAt: now });
      if (moved.affected !== 1) throw noSuchConsent(id);
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PARTNER_CONSENT_RENEWED,
        target: { type: 'PartnerGrant', id },
        detail: { partnerId: grant.partnerId, expiresAt },
      });
      return m.findOneByOrFail(PartnerGrant, { id });
    });
    // The provider's grant lives as long, so that the partner's refresh token keeps working.
    const oidcGrant = await this.server.oidc.Grant.find(grant.grantId);
    if (oidcGrant) {
      oidcGrant.exp = Math.floor(expiresAt.getTime() / 1000);
      await oidcGrant.save();
    }
    return renewed;
  }

  /** As 連携先管理 shows them: the partner's name, the giver's login ID, the accounts by name (no balance). */
  async views(ctx: RequestContext, grants: PartnerGrant[]): Promise<PartnerGrantView[]> {
    const ids = (pick: (grant: PartnerGrant) => number[]) => [...new Set(grants.flatMap(pick))];
    const [partners, users, accounts] = await Promise.all([
      this.db.manager.findBy(Partner, { id: In(ids((g) => [g.partnerId])) }),
      this.db.manager.findBy(User, { id: In(ids((g) => [g.userId])) }),
      this.db.manager.findBy(Account, { id: In(ids((g) => JSON.parse(g.accountIds) as number[])) }),
    ]);
    const now = this.clock.now().getTime();
    const me = callerUser(ctx).id;
    return grants.map((grant) => ({
      id: grant.id,
      partnerName: partners.find((p) => p.id === grant.partnerId)?.name ?? '',
      grantedBy: users.find((u) => u.id === grant.userId)?.loginId ?? '',
      grantedByYou: grant.userId === me,
      scopes: scopesOf(grant.scopes),
      accounts: (JSON.parse(grant.accountIds) as number[]).flatMap((id) => {
        const account = accounts.find((a) => a.id === id);
        return account
          ? [{ id, branchName: account.branchName, accountType: account.accountType, accountNumber: account.accountNumber }]
          : [];
      }),
      createdAt: grant.createdAt,
      expiresAt: grant.expiresAt,
      expired: grant.expiresAt.getTime() <= now,
      renewedAt: grant.renewedAt,
      lastUsedAt: grant.lastUsedAt,
    }));
  }

  /** The provider's grant and every code and token issued under it. */
  async dropFromAuthorizationServer(grantId: string): Promise<void> {
    await new OAuthAdapter(this.db, 'Grant').destroy(grantId);
    await new OAuthAdapter(this.db, 'AccessToken').revokeByGrantId(grantId);
  }

  private manageable(ctx: RequestContext): FindOptionsWhere<PartnerGrant> {
    const user = callerUser(ctx);
    const contractId = callerContractId(ctx);
    return user.role === Role.ADMIN ? { contractId, revokedAt: IsNull() } : { contractId, userId: user.id, revokedAt: IsNull() };
  }

  private async manageableGrant(ctx: RequestContext, id: number): Promise<PartnerGrant> {
    const grant = await this.db.manager.findOneBy(PartnerGrant, extend(this.manageable(ctx), { id }));
    if (!grant) throw noSuchConsent(id);
    return grant;
  }
}
