/**
 * The menu, by what the user may call: each item names the root operations its page needs, and is
 * shown exactly when the caller's role and permissions satisfy the access map (access-map.json,
 * which the server's tests hold to the code; test/unit/web-menu.spec.ts holds this file to it).
 */
export interface Caller {
  role: string;
  permissions: readonly string[];
}

/** What each access requirement of access-map.json asks of a logged-in caller. */
export const ACCESS: Record<string, (caller: Caller) => boolean> = {
  CERTIFICATE: () => true,
  SESSION: () => true,
  SESSION_ANY_PASSWORD_STATE: () => true,
  ADMIN: (c) => c.role === 'ADMIN',
  OPERATOR: (c) => c.role === 'OPERATOR',
  ADMIN_OR_OPERATOR: (c) => c.role === 'ADMIN' || c.role === 'OPERATOR',
  CUSTOMER: (c) => c.role === 'USER' || c.role === 'ADMIN',
  ACCOUNT_INQUIRY: (c) => c.permissions.includes('ACCOUNT_INQUIRY'),
  TRANSFER: (c) => c.permissions.includes('TRANSFER'),
  TRANSFER_APPROVAL: (c) => c.permissions.includes('TRANSFER_APPROVAL'),
  TRANSFER_OR_APPROVAL: (c) => c.permissions.includes('TRANSFER') || c.permissions.includes('TRANSFER_APPROVAL'),
  TRANSFER_OR_ADMIN: (c) => c.role === 'ADMIN' || c.permissions.includes('TRANSFER'),
  TRANSFER_OR_APPROVAL_OR_ADMIN: (c) =>
    c.role === 'ADMIN' || c.permissions.includes('TRANSFER') || c.permissions.includes('TRANSFER_APPROVAL'),
  PAYEE_MANAGEMENT: (c) => c.permissions.includes('PAYEE_MANAGEMENT'),
  TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN: (c) =>
    c.role === 'ADMIN' || c.permissions.includes('TRANSFER') || c.permissions.includes('PAYEE_MANAGEMENT'),
  SALARY_TRANSFER: (c) => c.permissions.includes('SALARY_TRANSFER'),
  SALARY_APPROVAL: (c) => c.permissions.includes('SALARY_APPROVAL'),
  SALARY_TRANSFER_OR_APPROVAL: (c) => c.permissions.includes('SALARY_TRANSFER') || c.permissions.includes('SALARY_APPROVAL'),
  SALARY_TRANSFER_OR_ADMIN: (c) => c.role === 'ADMIN' || c.permissions.includes('SALARY_TRANSFER'),
  SALARY_TRANSFER_OR_APPROVAL_OR_ADMIN: (c) =>
    c.role === 'ADMIN' || c.permissions.includes('SALARY_TRANSFER') || c.permissions.includes('SALARY_APPROVAL'),
};

export interface MenuItem {
  path: string;
  label: string;
  group: string;
  /** The root operations and downloads the page calls (as access-map.json names them); all must be allowed. */
  operations: Operations;
  /** Or, for a page serving several kinds of order: the operations of its 給与・賞与振込 part, all allowed. */
  salary?: Operations;
}

type Operations = Array<[operation: string, requirements: string[]]>;

// The requirements are copied from access-map.json and checked against it by a test.
export const MENU: MenuItem[] = [
  { path: '/', label: 'トップ', group: 'メニュー', operations: [['api Query.me', ['SESSION']]] },
  { path: '/accounts', label: '口座一覧・残高', group: '照会', operations: [['api Query.accounts', ['ACCOUNT_INQUIRY']]] },
  {
    path: '/statement',
    label: '入出金明細',
    group: '照会',
    operations: [
      ['api Query.statement', ['ACCOUNT_INQUIRY']],
      ['api GET /downloads/statement', ['ACCOUNT_INQUIRY']],
    ],
  },
  {
    path: '/transfers/new',
    label: '振込の作成',
    group: '振込',
    operations: [
      ['api Mutation.createTransfer', ['TRANSFER']],
      ['api Query.payees', ['TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN']],
      ['api Query.banks', ['TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN']],
      ['api Query.branches', ['TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN']],
    ],
  },
  {
    path: '/bulk-transfers/new',
    label: '総合振込の作成',
    group: '振込',
    operations: [
      ['api Mutation.importBulkTransfer', ['TRANSFER']],
      ['api Mutation.createBulkTransfer', ['TRANSFER']],
    ],
  },
  // 給与・賞与振込 (SALARY_TRANSFER): its approval, result and 予約取消 are the pages below.
  {
    path: '/salary-transfers/new',
    label: '給与・賞与振込の作成',
    group: '振込',
    operations: [
      ['api Mutation.importSalaryTransfer', ['SALARY_TRANSFER']],
      ['api Mutation.createSalaryTransfer', ['SALARY_TRANSFER']],
    ],
  },
  {
    path: '/approvals',
    label: '承認待ち一覧',
    group: '振込',
    operations: [
      ['api Query.transfers', ['TRANSFER_OR_APPROVAL']],
      ['api Query.bulkTransfers', ['TRANSFER_OR_APPROVAL']],
      ['api Mutation.approveTransfer', ['TRANSFER_APPROVAL']],
      ['api Mutation.approveBulkTransfer', ['TRANSFER_APPROVAL']],
    ],
    salary: [
      ['api Query.salaryTransfers', ['SALARY_TRANSFER_OR_APPROVAL']],
      ['api Mutation.approveSalaryTransfer', ['SALARY_APPROVAL']],
    ],
  },
  {
    path: '/transfers',
    label: '振込結果照会',
    group: '振込',
    operations: [
      ['api Query.transfers', ['TRANSFER_OR_APPROVAL']],
      ['api Query.bulkTransfers', ['TRANSFER_OR_APPROVAL']],
      ['api Query.transfer', ['TRANSFER_OR_APPROVAL']],
      ['api Query.bulkTransfer', ['TRANSFER_OR_APPROVAL']],
    ],
    salary: [
      ['api Query.salaryTransfers', ['SALARY_TRANSFER_OR_APPROVAL']],
      ['api Query.salaryTransfer', ['SALARY_TRANSFER_OR_APPROVAL']],
    ],
  },
  {
    path: '/cancel',
    label: '予約取消',
    group: '振込',
    operations: [
      ['api Mutation.cancelTransfer', ['TRANSFER_OR_ADMIN']],
      ['api Mutation.cancelBulkTransfer', ['TRANSFER_OR_ADMIN']],
    ],
    salary: [['api Mutation.cancelSalaryTransfer', ['SALARY_TRANSFER_OR_ADMIN']]],
  },
  {
    path: '/payees',
    label: '振込先一覧',
    group: '振込先管理',
    operations: [
      ['api Query.payees', ['TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN']],
      ['api Mutation.updatePayee', ['PAYEE_MANAGEMENT']],
      ['api Mutation.deletePayee', ['PAYEE_MANAGEMENT']],
    ],
  },
  {
    path: '/payees/new',
    label: '振込先の登録',
    group: '振込先管理',
    operations: [
      ['api Mutation.createPayee', ['PAYEE_MANAGEMENT']],
      ['api Query.banks', ['TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN']],
      ['api Query.branches', ['TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN']],
    ],
  },
  { path: '/admin/users', label: 'IDメンテナンス（利用者一覧）', group: '管理機能', operations: [['api Query.users', ['ADMIN']]] },
  { path: '/admin/users/new', label: '利用者の登録', group: '管理機能', operations: [['api Mutation.createUser', ['ADMIN']]] },
  { path: '/admin/ip', label: '接続元IPアドレス制限', group: '管理機能', operations: [['api Mutation.setIpAllowList', ['ADMIN']]] },
  {
    path: '/admin/notices',
    label: 'メール通知設定',
    group: '管理機能',
    operations: [
      ['api Query.myContract', ['ADMIN']],
      ['api Mutation.setNoticeSettings', ['ADMIN']],
    ],
  },
  {
    path: '/admin/stop',
    label: '緊急停止',
    group: '管理機能',
    operations: [
      ['api Mutation.emergencyStop', ['ADMIN_OR_OPERATOR']],
      ['api Query.myContract', ['ADMIN']],
    ],
  },
  { path: '/operator/contracts', label: '契約一覧', group: '当金庫', operations: [['api Query.contracts', ['OPERATOR']]] },
  { path: '/operator/contracts/new', label: '契約の登録', group: '当金庫', operations: [['api Mutation.createContract', ['OPERATOR']]] },
  {
    path: '/operator/holds',
    label: '保留中の取引',
    group: '当金庫',
    operations: [
      ['api Query.heldTransfers', ['OPERATOR']],
      ['api Mutation.releaseHeldTransfer', ['OPERATOR']],
      ['api Mutation.cancelHeldTransfer', ['OPERATOR']],
    ],
  },
  {
    path: '/operator/partners',
    label: '連携先',
    group: '当金庫',
    operations: [
      ['api Query.partners', ['OPERATOR']],
      ['api Mutation.registerPartner', ['OPERATOR']],
      ['api Mutation.suspendPartner', ['OPERATOR']],
      ['api Mutation.resumePartner', ['OPERATOR']],
    ],
  },
  {
    path: '/audit',
    label: '操作履歴',
    group: '管理機能',
    operations: [
      ['api Query.auditEvents', ['ADMIN_OR_OPERATOR']],
      ['api GET /downloads/audit-log', ['ADMIN_OR_OPERATOR']],
    ],
  },
  {
    path: '/password',
    label: 'パスワード変更',
    group: '設定',
    operations: [['api Mutation.changePassword', ['SESSION_ANY_PASSWORD_STATE']]],
  },
  { path: '/certificate', label: '電子証明書', group: '設定', operations: [['api Query.me', ['SESSION']]] },
  {
    path: '/passkeys',
    label: 'パスキー管理',
    group: '設定',
    operations: [
      ['api Query.passkeys', ['SESSION']],
      ['api Mutation.registerPasskey', ['SESSION']],
      ['api Mutation.removePasskey', ['SESSION']],
    ],
  },
  { path: '/logins', label: 'ログイン履歴', group: '設定', operations: [['api Query.loginHistory', ['SESSION']]] },
  {
    path: '/partners',
    label: '連携先管理',
    group: '設定',
    operations: [
      ['api Query.partnerGrants', ['CUSTOMER']],
      ['api Mutation.revokePartnerGrant', ['CUSTOMER']],
      ['api Mutation.renewPartnerGrant', ['CUSTOMER']],
    ],
  },
  {
    path: '/email',
    label: 'メールアドレス',
    group: '設定',
    operations: [
      ['api Query.me', ['SESSION']],
      ['api Mutation.setEmailAddress', ['SESSION']],
    ],
  },
];

const allAllowed = (operations: Operations, caller: Caller): boolean =>
  operations.every(([, requirements]) => requirements.every((r) => ACCESS[r]?.(caller) ?? false));

export function allowed(item: MenuItem, caller: Caller): boolean {
  return allAllowed(item.operations, caller) || (item.salary !== undefined && allAllowed(item.salary, caller));
}

export function menuFor(caller: Caller): MenuItem[] {
  return MENU.filter((item) => allowed(item, caller));
}

/** A page that is not in the menu: one registered payee's change page, for whoever may change payees. */
export function payeeRoute(route: string, caller: Caller): number | null {
  const match = /^\/payees\/(\d+)$/.exec(route);
  const changing = MENU.find((item) => item.path === '/payees')!;
  return match && allowed(changing, caller) ? Number(match[1]) : null;
}

/** Administrators and operators may also use GraphiQL (the same API, with their session). */
export function mayUseGraphiql(caller: Caller): boolean {
  return caller.role === 'ADMIN' || caller.role === 'OPERATOR';
}
