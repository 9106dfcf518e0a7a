import { Access } from '../graphql/access';
import type { HttpRoute } from '../graphql/access-map';

/**
 * Every download on the API listener and who may fetch it: the same requirement as the GraphQL
 * fields they replaced, checked at run time by the same function as `@Allow`, and listed in
 * access-map.json (`api GET /downloads/…`) so the permission matrix calls each of them. Which
 * records a caller gets (own contract, own bulk transfers) is the services' scope rule.
 */
export const DOWNLOAD_ROUTES = {
  bulkTransferResult: { path: '/downloads/bulk-transfer/:id/result', access: Access.TRANSFER_OR_APPROVAL },
  salaryTransferResult: { path: '/downloads/salary-transfer/:id/result', access: Access.SALARY_TRANSFER_OR_APPROVAL },
  auditLog: { path: '/downloads/audit-log', access: Access.ADMIN_OR_OPERATOR },
  statement: { path: '/downloads/statement', access: Access.ACCOUNT_INQUIRY },
} as const satisfies Record<string, { path: `/downloads/${string}`; access: Access }>;

export type DownloadName = keyof typeof DOWNLOAD_ROUTES;

/** The downloads as access-map.json lists them. */
export const DOWNLOAD_ACCESS: HttpRoute[] = Object.values(DOWNLOAD_ROUTES).map(({ path, access }) => ({
  listener: 'api',
  method: 'GET',
  path,
  access,
}));
