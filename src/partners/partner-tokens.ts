import { unauthenticated } from '../auth/session-end';
import { UnauthenticatedReason } from '../common/domain-error';
import { Contract, ContractStatus } from '../contract/contract.entity';
import type { Database } from '../db/database';
import type { PeerCertificate } from '../graphql/context';
import { User, UserStatus } from '../users/user.entity';
import type { AuthorizationServer } from './authorization-server';
import { Partner, PartnerStatus } from './partner.entity';
import { PartnerScope } from './partner-scopes';

/** Who a valid partner token speaks for: partner X on behalf of user U, within the granted scopes. */
export interface PartnerCaller {
  partner: Partner;
  user: User;
  scopes: PartnerScope[];
  grantId: string;
}

const SCOPES: ReadonlySet<string> = new Set(Object.values(PartnerScope));

/**
 * The resource server's check of a partner's bearer token, read from the database on every request
 * like a certificate is (DESIGN §6.12): the token must exist, be for /graphql, be bound to the very
 * certificate of this connection (RFC 8705 `x5t#S256`: a token copied to another client is
 * refused), come from a grant still alive, of a partner still active, for a user who may still
 * work. Phase 1 has it checked and tested; /graphql does not call it yet (docs/partners.md).
 */
export class PartnerTokens {
  constructor(
    private readonly db: Database,
    private readonly server: AuthorizationServer,
  ) {}

  async verify(token: string, peer: PeerCertificate): Promise<PartnerCaller> {
    const accessToken = await this.server.oidc.AccessToken.find(token);
    if (!accessToken) throw unauthenticated(UnauthenticatedReason.NO_SESSION, 'The access token is not valid.');
    if (accessToken.isExpired) throw unauthenticated(UnauthenticatedReason.EXPIRED, 'The access token has expired.');
    if (accessToken['x5t#S256'] !== Buffer.from(peer.fingerprint, 'hex').toString('base64url'))
      throw unauthenticated(UnauthenticatedReason.OTHER_CERTIFICATE, 'This access token was issued to another certificate.');
    if (accessToken.aud !== this.server.resource)
      throw unauthenticated(UnauthenticatedReason.NO_SESSION, 'The access token is not for this API.');
    const ended = () =>
      unauthenticated(UnauthenticatedReason.ENDED_BY_ADMINISTRATION, 'The customer’s consent to this partner is no longer in force.');
    const grant = accessToken.grantId ? await this.server.oidc.Grant.find(accessToken.grantId) : undefined;
    if (!grant || grant.isExpired) throw ended();
    const partner = await this.db.manager.findOneBy(Partner, { clientId: accessToken.clientId });
    if (!partner || partner.status !== PartnerStatus.ACTIVE) throw ended();
    const user = await this.db.manager.findOneBy(User, { id: Number(accessToken.accountId) });
    const contract = user?.contractId ? await this.db.manager.findOneBy(Contract, { id: user.contractId }) : null;
    if (!user || user.lockedAt || user.status !== UserStatus.ACTIVE || !contract || contract.status !== ContractStatus.ACTIVE)
      throw ended();
    const scopes = String(accessToken.scope ?? '')
      .split(' ')
      .filter((scope): scope is PartnerScope => SCOPES.has(scope));
    return { partner, user, scopes, grantId: grant.jti };
  }
}
