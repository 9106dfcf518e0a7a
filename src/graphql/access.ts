import type { ResolverData } from 'type-graphql';
import { unauthenticated } from '../auth/session-end';
import { DomainError, ErrorCode, UnauthenticatedReason } from '../common/domain-error';
import { Permission, Role } from '../users/user.entity';
import type { RequestContext } from './context';
import type { PartnerCaller } from '../partners/partner-caller';
import { PARTNER_OPERATIONS } from '../partners/partner-scopes';
import { extend } from '../common/extend';

/**
 * Who may call a root field. Every query and mutation declares one with `@Allow(...)`; the
 * committed access map (access-map.json) lists them and a test fails when one is missing or
 * changes, so a change here is reviewed as a permission change.
 */
export enum Access {
  /** Anyone who reaches the listener (enrollment listener only). */
  PUBLIC = 'PUBLIC',
  /** A registered, valid certificate; no PIN session needed (whoami, login). */
  CERTIFICATE = 'CERTIFICATE',
  /** A PIN session on this certificate, with passwords that need no change first. */
  SESSION = 'SESSION',
  /** A PIN session, even while a password change is due (changePassword, logout). */
  SESSION_ANY_PASSWORD_STATE = 'SESSION_ANY_PASSWORD_STATE',
  /** A session of the customer's administrator (管理者); scoped to their contract by the services. */
  ADMIN = 'ADMIN',
  /** A session of bank staff (当金庫). */
  OPERATOR = 'OPERATOR',
  /** Either of the two (revocation, emergency stop, audit log). */
  ADMIN_OR_OPERATOR = 'ADMIN_OR_OPERATOR',
  /** A session of a customer's user or administrator, not bank staff: what only a contract has (連携先管理). */
  CUSTOMER = 'CUSTOMER',
  /** Business permission (業務権限): balances and statements. */
  ACCOUNT_INQUIRY = 'ACCOUNT_INQUIRY',
  /** Business permission: create transfers. */
  TRANSFER = 'TRANSFER',
  /** Business permission: approve or reject others' transfers. */
  TRANSFER_APPROVAL = 'TRANSFER_APPROVAL',
  /** Either transfer permission (the transfer list). */
  TRANSFER_OR_APPROVAL = 'TRANSFER_OR_APPROVAL',
  /** The TRANSFER permission, or the customer's administrator: cancelling an order (予約取消), which only its maker or the administrator may do. */
  TRANSFER_OR_ADMIN = 'TRANSFER_OR_ADMIN',
  /** Either transfer permission, or the customer's administrator: who may be shown a payment order (the administrator, the one they cancel). */
  TRANSFER_OR_APPROVAL_OR_ADMIN = 'TRANSFER_OR_APPROVAL_OR_ADMIN',
  /** Business permission: register, change and delete payees (振込先登録). */
  PAYEE_MANAGEMENT = 'PAYEE_MANAGEMENT',
  /** Who may list the registered payees: makers of transfers, their managers, or the customer's administrator. */
  TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN = 'TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN',
  /** Business permission: make salary and bonus transfers (給与・賞与振込). */
  SALARY_TRANSFER = 'SALARY_TRANSFER',
  /** Business permission: approve or reject others' salary and bonus transfers. */
  SALARY_APPROVAL = 'SALARY_APPROVAL',
  /** Either salary permission (the salary transfer list). */
  SALARY_TRANSFER_OR_APPROVAL = 'SALARY_TRANSFER_OR_APPROVAL',
  /** The SALARY_TRANSFER permission, or the customer's administrator: cancelling a salary transfer (予約取消). */
  SALARY_TRANSFER_OR_ADMIN = 'SALARY_TRANSFER_OR_ADMIN',
  /** Either salary permission, or the customer's administrator: who may be shown a salary transfer. */
  SALARY_TRANSFER_OR_APPROVAL_OR_ADMIN = 'SALARY_TRANSFER_OR_APPROVAL_OR_ADMIN',
}

/** What one requirement asks of the caller, read top to bottom by `checkAccess`. */
interface Requirement {
  /** A registered, valid client certificate (checked before GraphQL on the API listener). */
  certificate: boolean;
  /** A PIN session on this certificate. */
  session: boolean;
  /** The session may be used while a password change is due (changePassword, logout). */
  duringPasswordChange?: boolean;
  /** One of these roles. */
  roles?: Role[];
  /** At least one of these business permissions (業務権限). */
  permissions?: Permission[];
  /** Roles that stand in for `permissions`: such a user needs none of them. */
  orRoles?: Role[];
}

const SESSION: Requirement = { certificate: true, session: true };

/** Every requirement, spelt out: `satisfies` makes a new Access value fail to compile until it is here. */
const REQUIREMENTS = {
  [Access.PUBLIC]: { certificate: false, session: false },
  [Access.CERTIFICATE]: { certificate: true, session: false },
  [Access.SESSION]: SESSION,
  [Access.SESSION_ANY_PASSWORD_STATE]: extend(SESSION, { duringPasswordChange: true }),
  [Access.ADMIN]: extend(SESSION, { roles: [Role.ADMIN] }),
  [Access.OPERATOR]: extend(SESSION, { roles: [Role.OPERATOR] }),
  [Access.ADMIN_OR_OPERATOR]: extend(SESSION, { roles: [Role.ADMIN, Role.OPERATOR] }),
  [Access.CUSTOMER]: extend(SESSION, { roles: [Role.USER, Role.ADMIN] }),
  [Access.ACCOUNT_INQUIRY]: extend(SESSION, { permissions: [Permission.ACCOUNT_INQUIRY] }),
  [Access.TRANSFER]: extend(SESSION, { permissions: [Permission.TRANSFER] }),
  [Access.TRANSFER_APPROVAL]: extend(SESSION, { permissions: [Permission.TRANSFER_APPROVAL] }),
  [Access.TRANSFER_OR_APPROVAL]: extend(SESSION, { permissions: [Permission.TRANSFER, Permission.TRANSFER_APPROVAL] }),
  [Access.TRANSFER_OR_ADMIN]: extend(SESSION, { permissions: [Permission.TRANSFER], orRoles: [Role.ADMIN] }),
  [Access.TRANSFER_OR_APPROVAL_OR_ADMIN]: extend(SESSION, {
    permissions: [Permission.TRANSFER, Permission.TRANSFER_APPROVAL],
    orRoles: [Role.ADMIN],
  }),
  [Access.PAYEE_MANAGEMENT]: extend(SESSION, { permissions: [Permission.PAYEE_MANAGEMENT] }),
  [Access.TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN]: extend(SESSION, {
    permissions: [Permission.TRANSFER, Permission.PAYEE_MANAGEMENT],
    orRoles: [Role.ADMIN],
  }),
  [Access.SALARY_TRANSFER]: extend(SESSION, { permissions: [Permission.SALARY_TRANSFER] }),
  [Access.SALARY_APPROVAL]: extend(SESSION, { permissions: [Permission.SALARY_APPROVAL] }),
  [Access.SALARY_TRANSFER_OR_APPROVAL]: extend(SESSION, { permissions: [Permission.SALARY_TRANSFER, Permission.SALARY_APPROVAL] }),
  [Access.SALARY_TRANSFER_OR_ADMIN]: extend(SESSION, { permissions: [Permission.SALARY_TRANSFER], orRoles: [Role.ADMIN] }),
  [Access.SALARY_TRANSFER_OR_APPROVAL_OR_ADMIN]: extend(SESSION, {
    permissions: [Permission.SALARY_TRANSFER, Permission.SALARY_APPROVAL],
    orRoles: [Role.ADMIN],
  }),
} satisfies Record<Access, Requirement>;

/**
 * A declaration names exactly one requirement. A caller who may pass either of two is a
 * requirement of its own (ADMIN_OR_OPERATOR, TRANSFER_OR_APPROVAL), spelt out in REQUIREMENTS:
 * a list would read as "any of" (as Vendure's @Allow means it) where type-graphql would check all of them.
 */
function exactlyOne(decorator: string, requirement: Access, extra: never[]): Access {
  if (extra.length > 0 || !Object.values(Access).includes(requirement)) {
    throw new Error(`@${decorator} takes exactly one Access requirement (got ${1 + extra.length}); combine them as an Access value`);
  }
  return requirement;
}

/** Each class's `@Allow`s by member name (a root or field resolver's method, an object type's property). */
const allowed = new Map<Function, Map<string, Access>>();

/**
 * Who may call a root field, or read a field that carries more than its type (a balance needs
 * ACCOUNT_INQUIRY on every path). Checked at run time by a check compiled into the field's
 * resolver when the schema is built (graphql/field-access.ts), not by type-graphql's authChecker,
 * whose middleware made every such field's resolution asynchronous.
 */
export function Allow(requirement: Access, ...extra: never[]): MethodDecorator & PropertyDecorator {
  const declared = exactlyOne('Allow', requirement, extra);
  return (prototype: object, member: string | symbol) => {
    const target = prototype.constructor;
    if (!allowed.has(target)) allowed.set(target, new Map());
    allowed.get(target)!.set(String(member), declared);
  };
}

/** The `@Allow` declared on this class's member itself (not its parents'). */
export function allowedOn(target: Function, member: string): Access | undefined {
  return allowed.get(target)?.get(member);
}

const visibility = new Map<Function, Access>();

/**
 * Who may see an object type at all, wherever it appears. Not checked per field at run time:
 * `accessViolations` (graphql/access-map.ts) proves that every root operation reaching the type
 * lets only such callers through, and a test fails otherwise.
 */
export function VisibleTo(requirement: Access, ...extra: never[]): ClassDecorator {
  const declared = exactlyOne('VisibleTo', requirement, extra);
  return (target) => {
    visibility.set(target, declared);
  };
}

export function visibilityOf(type: Function): Access | undefined {
  return visibility.get(type);
}

/**
 * A partner (連携先) on a person's behalf: only the root operations its consent's scopes open
 * (PARTNER_OPERATIONS), never a role, and business permissions only as the consent ∩ the
 * person's current permissions give them. Whatever else a path needs (the person's session) the
 * token stands for.
 */
function checkPartner(partner: PartnerCaller, access: Access, rootField: string | null): void {
  if (rootField !== null) {
    const scope = PARTNER_OPERATIONS[rootField];
    if (!scope) throw new DomainError(ErrorCode.FORBIDDEN, `${rootField} is not open to partners.`, { required: access });
    if (!partner.scopes.includes(scope))
      throw new DomainError(ErrorCode.FORBIDDEN, `The customer’s consent does not include ${scope}.`, { required: access, scope });
  }
  const requirement: Requirement = REQUIREMENTS[access];
  if (requirement.roles) throw new DomainError(ErrorCode.FORBIDDEN, 'This is not open to partners.', { required: access });
  const { permissions } = requirement;
  if (permissions && !permissions.some((permission) => partner.permissions.includes(permission)))
    throw new DomainError(ErrorCode.FORBIDDEN, `The customer’s consent does not give the ${permissions.join(' or ')} permission.`, {
      required: access,
    });
}

/** Throws the coded error that tells the caller what is missing; returns when `requirement` is met. */
function check(context: RequestContext, access: Access, rootField: string | null = null): void {
  if (context.partner) return checkPartner(context.partner, access, rootField);
  const requirement: Requirement = REQUIREMENTS[access];
  if (!requirement.certificate) return;
  const identity = context.identity;
  if (!identity) throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'A client certificate is required.');
  if (!requirement.session) return;
  if (!context.session) throw context.sessionProblem ?? unauthenticated(UnauthenticatedReason.NO_SESSION);
  const { user } = identity;
  if (context.passwordChangeRequired && !requirement.duringPasswordChange) {
    throw new DomainError(
      ErrorCode.PASSWORD_EXPIRED,
      user.loginPasswordTemporary || user.confirmationPasswordTemporary
        ? 'Your password was reset. Please change your temporary password (changePassword) before anything else.'
        : 'Your login password has expired. Please change it (changePassword) to continue.',
    );
  }
  if (requirement.roles && !requirement.roles.includes(user.role)) {
    throw new DomainError(ErrorCode.FORBIDDEN, `This operation is for ${requirement.roles.join(' or ')} users only.`, { required: access });
  }
  const { permissions, orRoles = [] } = requirement;
  if (permissions && !orRoles.includes(user.role) && !permissions.some((permission) => user.permissions.includes(permission))) {
    const or = orRoles.length ? `, or the ${orRoles.join(' or ')} role,` : '';
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      `This operation needs the ${permissions.join(' or ')} permission (業務権限)${or}; ask your administrator.`,
      { required: access },
    );
  }
}

/** The root types: their fields are the operations a partner may call only when PARTNER_OPERATIONS names them. */
export const ROOT_TYPES: ReadonlySet<string> = new Set(['Query', 'Mutation']);

/**
 * The check in type-graphql's authChecker shape (the access analysis and its tests call it):
 * throws a coded error instead of answering "false". An arrow function on purpose: type-graphql
 * treats anything with a prototype as a class to instantiate.
 */
export const checkAccess = ({ context, info }: ResolverData<RequestContext>, requirements: Access[]): boolean => {
  const rootField = info && ROOT_TYPES.has(info.parentType.name) ? `${info.parentType.name}.${info.fieldName}` : null;
  for (const access of requirements) check(context, access, rootField);
  return true;
};

/**
 * Throws the coded error, or returns when `access` is met: the check compiled into each field
 * that declares one (graphql/field-access.ts; `rootField` names a root operation, which a partner
 * may call only when PARTNER_OPERATIONS opens it), and the downloads' check.
 */
export function requireAccess(context: RequestContext, access: Access, rootField: string | null = null): void {
  check(context, access, rootField);
}
