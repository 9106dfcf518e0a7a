import { AuditAction } from '../audit/audit-action';
import { auditActor } from '../audit/audit-actor';
import type { AuditService } from '../audit/audit.service';
import { callerUser } from '../auth/caller';
import type { ConfirmationService } from '../auth/confirmation.service';
import type { AccountService } from '../banking/accounts/account.service';
import type { Account } from '../banking/accounts/account.entity';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { Permission } from '../users/user.entity';
import { type AuthorizationServer, CONSENT_BROWSER } from './authorization-server';
import { OAuthAdapter } from './oauth-adapter';
import { Partner } from './partner.entity';
import { PartnerScope } from './partner-scopes';

/** The permission (業務権限) a person needs to give each scope: a partner never gets more than its grantor has. */
const SCOPE_PERMISSION: Record<PartnerScope, Permission> = {
  [PartnerScope.ACCOUNT_INFORMATION]: Permission.ACCOUNT_INQUIRY,
  [PartnerScope.PAYMENT_INITIATION]: Permission.TRANSFER,
};

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
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
    private readonly accounts: AccountService,
    private readonly server: AuthorizationServer,
  ) {}

  async consentRequest(ctx: RequestContext, uid: string): Promise<ConsentRequest> {
    const { partner, scopes } = await this.open(ctx, uid);
    return { partner, scopes, accounts: await this.accounts.accounts(ctx) };
  }

  /** Records the consent and returns where the browser goes next (the authorization endpoint, which answers the partner). */
  async approve(ctx: RequestContext, uid: string, confirmationPassword: string): Promise<string> {
    const { interaction, partner, scopes } = await this.open(ctx, uid);
    if (scopes.length === 0)
      throw new DomainError(ErrorCode.FORBIDDEN, 'You have none of the permissions this partner asks for.', { field: 'uid' });
    await this.confirmation.confirm(ctx, confirmationPassword);
    const user = callerUser(ctx);
    const provider = this.server.oidc;
    const grant = new provider.Grant({ accountId: String(user.id), clientId: partner.clientId });
    // The partner scopes are the provider's own scopes (it checks the request against them) and
    // the resource server's (its access tokens carry them for /graphql): granted on both.
    grant.addOIDCScope(scopes.join(' '));
    grant.addResourceScope(this.server.resource, scopes.join(' '));
    const grantId = await grant.save();
    interaction.result = { login: { accountId: String(user.id) }, consent: { grantId } };
    await interaction.persist();
    await new OAuthAdapter(this.db, CONSENT_BROWSER).destroy(uid);
    await this.db.transaction((m) =>
      this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PARTNER_CONSENT_GIVEN,
        target: { type: 'Partner', id: partner.id },
        detail: { partner: partner.name, clientId: partner.clientId, scopes },
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
    const asked = String(interaction.params.scope ?? '').split(' ');
    const permissions = callerUser(ctx).permissions;
    const scopes = Object.values(PartnerScope).filter((scope) => asked.includes(scope) && permissions.includes(SCOPE_PERMISSION[scope]));
    return { interaction, partner, scopes };
  }
}
