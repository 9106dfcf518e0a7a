import { Permission } from '../users/user.entity';

/**
 * What a partner may be allowed to do, as OAuth scopes (the enum's values are the scope strings).
 * Each is also checked against the granting user's own permissions at every request (DESIGN §6.12).
 */
export enum PartnerScope {
  /** Balances and statements of the accounts the customer chose. */
  ACCOUNT_INFORMATION = 'account_information',
  /** Creating payment orders, which always wait for a person's approval in the web app. */
  PAYMENT_INITIATION = 'payment_initiation',
}

export const PARTNER_SCOPES: readonly string[] = Object.values(PartnerScope);

/** The permission (業務権限) each scope stands for: a person gives only what they hold, and a partner keeps only what they still hold. */
export const SCOPE_PERMISSION: Record<PartnerScope, Permission> = {
  [PartnerScope.ACCOUNT_INFORMATION]: Permission.ACCOUNT_INQUIRY,
  [PartnerScope.PAYMENT_INITIATION]: Permission.TRANSFER,
};

/**
 * The only root operations a partner's token reaches, and the scope each needs: an allow-list,
 * so that an operation added later is closed to partners until it is named here (and in the
 * committed access map). Everything a person does for themselves (login, passwords, passkeys,
 * approval, cancellation, payees, administration) is absent on purpose.
 */
export const PARTNER_OPERATIONS: Readonly<Record<string, PartnerScope>> = {
  'Query.accounts': PartnerScope.ACCOUNT_INFORMATION,
  'Query.statement': PartnerScope.ACCOUNT_INFORMATION,
  'Query.banks': PartnerScope.PAYMENT_INITIATION,
  'Query.branches': PartnerScope.PAYMENT_INITIATION,
  'Query.transfer': PartnerScope.PAYMENT_INITIATION,
  'Query.transfers': PartnerScope.PAYMENT_INITIATION,
  'Query.bulkTransfer': PartnerScope.PAYMENT_INITIATION,
  'Query.bulkTransfers': PartnerScope.PAYMENT_INITIATION,
  'Mutation.createTransfer': PartnerScope.PAYMENT_INITIATION,
  'Mutation.createBulkTransfer': PartnerScope.PAYMENT_INITIATION,
  'Mutation.importBulkTransfer': PartnerScope.PAYMENT_INITIATION,
};

const SCOPES: ReadonlySet<string> = new Set(PARTNER_SCOPES);

/** The known partner scopes in a space-separated list, in the enum's order. */
export function scopesOf(list: string | null | undefined): PartnerScope[] {
  const asked = new Set(String(list ?? '').split(' '));
  return Object.values(PartnerScope).filter((scope) => asked.has(scope) && SCOPES.has(scope));
}

/** The scopes of `scopes` that `permissions` allow. */
export function scopesWithin(scopes: readonly PartnerScope[], permissions: readonly Permission[]): PartnerScope[] {
  return scopes.filter((scope) => permissions.includes(SCOPE_PERMISSION[scope]));
}
