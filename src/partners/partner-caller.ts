import type { Permission } from '../users/user.entity';
import type { Partner } from './partner.entity';
import type { PartnerGrant } from './partner-grant.entity';
import type { PartnerScope } from './partner-scopes';

/** Who a valid partner token speaks for: partner X on behalf of user U, within the consent (partner-tokens.ts). */
export interface PartnerCaller {
  partner: Partner;
  grant: PartnerGrant;
  /** The granted scopes the user still holds the permission for. */
  scopes: PartnerScope[];
  /** The permissions (業務権限) the partner acts with now: the scopes' ∩ the user's current ones. */
  permissions: Permission[];
  /** The accounts the customer chose: the partner sees and pays from no other. */
  accountIds: number[];
}
