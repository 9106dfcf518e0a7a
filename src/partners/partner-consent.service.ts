import { In, IsNull } from 'typeorm';
import { AuditAction } from '../audit/audit-action';
import { auditActor } from '../audit/audit-actor';
import type { AuditService } from '../audit/audit.service';
import { callerIdentity, callerUser } from '../auth/caller';
import type { ConfirmationService } from '../auth/confirmation.service';
import type { AccountService } from '../banking/accounts/account.service';
import type { Account } from '../banking/accounts/account.entity';
import type { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { type AuthorizationServer, CONSENT_BROWSER } from './authorization-server';
import { OAuthAdapter } from './oauth-adapter';
import { Partner } from './partner.entity';
import { PartnerGrant } from './partner-grant.entity';
import type { PartnerGrants } from './partner-grants.service';
import { type PartnerScope, scopesOf, scopesWithin } from './partner-scopes';

const DAY_MS = 24 * 3600 * 1000;

export interface ConsentRequest {
  partner: Partner;
  /** What the partner asked for and this person may give. */
  scopes: PartnerScope[];
  accounts: Account[];
}

const noSuchRequest = () =>
  new DomainError(ErrorCode.NOT_FOUND, 'This request from a partner is not open (finished, expired or started elsewhere).', {
    field: 'uid',
  });

/**
 * The customer's consent to a partner (連携の同意): the signed-in person sees what the partner
 * asked for, cut to what they may do themselves, and confirms with the confirmation password. The
 * request is theirs only if their certificate's browser started it; the consent becomes a grant of
 * the authorization server, which then sends the browser back to the partner with a code.
 */
export class PartnerConsentService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly accounts: AccountService,
    private readonly server: AuthorizationServer,
    private readonly grants: PartnerGrants,
    private readonly settings: { consentDays: number },
  ) {}

  async consentRequest(ctx: RequestContext, uid: string): Promise<ConsentRequest> {
    const { partner, scopes } = await this.open(ctx, uid);
    return { partner, scopes, accounts: await this.accounts.accounts(ctx) };
  }

  /**
   * Records the consent for the accounts the person chose and returns where the browser goes next
   * (the authorization endpoint, which answers the partner). A consent given again to the same
   * partner replaces the person's earlier one: one live consent per person and partner.
   */
  async approve(ctx: RequestContext, uid: string, accountIds: number[], confirmationPassword: string): Promise<string> {
    const { interaction, partner, scopes } = await this.open(ctx, uid);
    if (scopes.length === 0)
      throw new DomainError(ErrorCode.FORBIDDEN, 'You have none of the permissions this partner asks for.', { field: 'uid' });
    const mine = new Set((await this.accounts.accounts(ctx)).map((account) => account.id));
    const chosen = [...new Set(accountIds)].sort((a, b) => a - b);
    if (chosen.length === 0 || chosen.some((id) => !mine.has(id)))
      throw new DomainError(ErrorCode.BAD_USER_INPUT, 'Choose one or more of your own accounts for this partner.', { field: 'accountIds' });
    await this.confirmation.confirm(ctx, confirmationPassword);
    const user = callerUser(ctx);
    const provider = this.server.oidc;
    const grant = new provider.Grant({ accountId: String(user.id), clientId: partner.clientId });
    // The partner scopes are the provider's own scopes (it checks the request against them) and
    // the resource server's (its access tokens carry them for /graphql): granted on both.
    grant.addOIDCScope(scopes.join(' '));
    grant.addResourceScope(this.server.resource, scopes.join(' '));
    const grantId = await grant.save();
    const now = this.clock.now();
    const superseded = await this.db.transaction(async (m) => {
      const earlier = await m.findBy(PartnerGrant, { partnerId: partner.id, userId: user.id, revokedAt: IsNull() });
      const saved = await m.save(
        m.create(PartnerGrant, {
          grantId,
          partnerId: partner.id,
          contractId: user.contractId!,
          userId: user.id,
          certificateFingerprint: callerIdentity(ctx).certificate.fingerprint,
          scopes: scopes.join(' '),
          accountIds: JSON.stringify(chosen),
          createdAt: now,
          expiresAt: new Date(now.getTime() + this.settings.consentDays * DAY_MS),
          renewedAt: null,
          lastUsedAt: null,
          revokedAt: null,
          revokedByUserId: null,
        }),
      );
      if (earlier.length) await m.update(PartnerGrant, { id: In(earlier.map((g) => g.id)) }, { revokedAt: now, revokedByUserId: user.id });
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PARTNER_CONSENT_GIVEN,
        target: { type: 'PartnerGrant', id: saved.id },
        detail: {
          partner: partner.name,
          clientId: partner.clientId,
          scopes,
          accountIds: chosen,
          expiresAt: saved.expiresAt,
          replaced: earlier.map((g) => g.id),
        },
      });
      return earlier;
    });
    // The replaced consents' tokens stop working now (their rows are revoked already; this drops them from the provider too).
    for (const earlier of superseded) await this.grants.dropFromAuthorizationServer(earlier.grantId);
    // Only now, with the consent recorded, may the browser take the code back to the partner.
    interaction.result = { login: { accountId: String(user.id) }, consent: { grantId } };
    await interaction.persist();
    await new OAuthAdapter(this.db, CONSENT_BROWSER).destroy(uid);
    return interaction.returnTo;
  }

  /** The person declines: the browser goes back to the partner with `access_denied`, and nothing is granted. */
  async decline(ctx: RequestContext, uid: string): Promise<string> {
    const { interaction, partner } = await this.open(ctx, uid);
    interaction.result = { error: 'access_denied', error_description: 'The customer declined the request.' };
    await interaction.persist();
    await new OAuthAdapter(this.db, CONSENT_BROWSER).destroy(uid);
    await this.db.transaction((m) =>
      this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PARTNER_CONSENT_DECLINED,
        target: { type: 'Partner', id: partner.id },
        detail: { partner: partner.name, clientId: partner.clientId },
      }),
    );
    return interaction.returnTo;
  }

  private async open(ctx: RequestContext, uid: string) {
    const browser = await new OAuthAdapter(this.db, CONSENT_BROWSER).find(uid);
    const interaction = browser && (await this.server.oidc.Interaction.find(uid));
    // Another certificate's request is as unknown as one that never was.
    if (!browser || !interaction || !ctx.peer || browser.iss !== ctx.peer.fingerprint) throw noSuchRequest();
    const partner = await this.db.manager.findOneBy(Partner, { clientId: String(interaction.params.client_id) });
    if (!partner) throw noSuchRequest();
    const scopes = scopesWithin(scopesOf(String(interaction.params.scope ?? '')), callerUser(ctx).permissions);
    return { interaction, partner, scopes };
  }
}
