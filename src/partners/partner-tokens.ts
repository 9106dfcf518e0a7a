import type { Identity, IdentityService } from '../auth/identity.service';
import { unauthenticated } from '../auth/session-end';
import type { Clock } from '../common/clock';
import { DomainError, ErrorCode, UnauthenticatedReason } from '../common/domain-error';
import type { Database } from '../db/database';
import type { PeerCertificate } from '../graphql/context';
import type { AuthorizationServer } from './authorization-server';
import { Partner, PartnerStatus } from './partner.entity';
import type { PartnerCaller } from './partner-caller';
import { PartnerGrant } from './partner-grant.entity';
import { SCOPE_PERMISSION, scopesOf } from './partner-scopes';

/** What ends the consent given with a certificate: its revocation or expiry, a terminated contract, a suspended person. */
const ENDS_CONSENT: ReadonlySet<ErrorCode> = new Set([ErrorCode.CERTIFICATE_REJECTED, ErrorCode.FORBIDDEN]);

/** Writing the last use at most this often keeps a busy partner from writing on every request. */
const LAST_USE_RESOLUTION_MS = 60_000;

const consentEnded = (message = 'The customer’s consent to this partner is no longer in force.') =>
  unauthenticated(UnauthenticatedReason.ENDED_BY_ADMINISTRATION, message);

/**
 * The resource server's check of a partner's bearer token, read from the database on every
 * request like a certificate is (DESIGN §6.12): the token must exist, be for /graphql, be bound to
 * the very certificate of this connection (RFC 8705 `x5t#S256`: a token copied to another client
 * is refused), come from a consent still alive and not expired, of a partner still active. The
 * person it speaks for is then identified exactly as their own request would be, through the
 * certificate they consented with: a revocation, lock, suspension, termination or emergency stop
 * refuses the partner at its next request as it refuses the person.
 */
export class PartnerTokens {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly identities: IdentityService,
    private readonly server: AuthorizationServer,
  ) {}

  async verify(token: string, peer: PeerCertificate): Promise<{ caller: PartnerCaller; identity: Identity }> {
    const accessToken = await this.server.oidc.AccessToken.find(token);
    if (!accessToken) throw unauthenticated(UnauthenticatedReason.NO_SESSION, 'The access token is not valid.');
    if (accessToken.isExpired) throw unauthenticated(UnauthenticatedReason.EXPIRED, 'The access token has expired.');
    if (accessToken['x5t#S256'] !== Buffer.from(peer.fingerprint, 'hex').toString('base64url'))
      throw unauthenticated(UnauthenticatedReason.OTHER_CERTIFICATE, 'This access token was issued to another certificate.');
    if (accessToken.aud !== this.server.resource)
      throw unauthenticated(UnauthenticatedReason.NO_SESSION, 'The access token is not for this API.');
    const now = this.clock.now();
    const grant = accessToken.grantId ? await this.db.manager.findOneBy(PartnerGrant, { grantId: accessToken.grantId }) : null;
    if (!grant || grant.revokedAt) throw consentEnded();
    if (grant.expiresAt.getTime() <= now.getTime())
      throw unauthenticated(
        UnauthenticatedReason.EXPIRED,
        'The customer’s consent to this partner has expired; the customer renews it on the 連携先管理 page.',
      );
    const partner = await this.db.manager.findOneBy(Partner, { id: grant.partnerId });
    if (!partner || partner.status !== PartnerStatus.ACTIVE || partner.clientId !== accessToken.clientId) throw consentEnded();
    const identity = await this.identities.identify(grant.certificateFingerprint).catch((error: unknown) => {
      // The emergency stop and the lock keep their own codes (the customer's to resolve, after
      // which the consent works again); a certificate revoked or expired, a suspended person or a
      // terminated contract ends the consent given with them.
      if (error instanceof DomainError && ENDS_CONSENT.has(error.code)) throw consentEnded();
      throw error;
    });
    if (identity.user.id !== grant.userId || identity.user.contractId !== grant.contractId) throw consentEnded();
    const permissions = identity.user.permissions;
    const scopes = scopesOf(grant.scopes).filter((scope) => permissions.includes(SCOPE_PERMISSION[scope]));
    await this.noteUse(grant, now);
    return {
      caller: {
        partner,
        grant,
        scopes,
        permissions: scopes.map((scope) => SCOPE_PERMISSION[scope]),
        accountIds: JSON.parse(grant.accountIds) as number[],
      },
      identity,
    };
  }

  private async noteUse(grant: PartnerGrant, now: Date): Promise<void> {
    if (grant.lastUsedAt && now.getTime() - grant.lastUsedAt.getTime() < LAST_USE_RESOLUTION_MS) return;
    await this.db.transaction((m) => m.update(PartnerGrant, { id: grant.id }, { lastUsedAt: now }));
  }
}
