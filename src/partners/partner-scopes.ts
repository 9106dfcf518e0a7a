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
