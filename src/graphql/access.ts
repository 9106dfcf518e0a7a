import { Authorized } from 'type-graphql';
import type { ResolverData } from 'type-graphql';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Permission, Role } from '../users/user.entity';
import type { RequestContext } from './context';

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
  /** Business permission (業務権限): balances and statements. */
  ACCOUNT_INQUIRY = 'ACCOUNT_INQUIRY',
  /** Business permission: create transfers. */
  TRANSFER = 'TRANSFER',
  /** Business permission: approve or reject others' transfers. */
  TRANSFER_APPROVAL = 'TRANSFER_APPROVAL',
  /** Either transfer permission (the transfer list). */
  TRANSFER_OR_APPROVAL = 'TRANSFER_OR_APPROVAL',
}

const PERMISSIONS_ALLOWED: Partial<Record<Access, Permission[]>> = {
  [Access.ACCOUNT_INQUIRY]: [Permission.ACCOUNT_INQUIRY],
  [Access.TRANSFER]: [Permission.TRANSFER],
  [Access.TRANSFER_APPROVAL]: [Permission.TRANSFER_APPROVAL],
  [Access.TRANSFER_OR_APPROVAL]: [Permission.TRANSFER, Permission.TRANSFER_APPROVAL],
};

const ROLES_ALLOWED: Partial<Record<Access, Role[]>> = {
  [Access.ADMIN]: [Role.ADMIN],
  [Access.OPERATOR]: [Role.OPERATOR],
  [Access.ADMIN_OR_OPERATOR]: [Role.ADMIN, Role.OPERATOR],
};

/**
 * Who may call a root field, or read a field that carries more than its type (a balance needs
 * ACCOUNT_INQUIRY on every path). Checked at run time by `checkAccess`.
 */
export function Allow(...requirements: Access[]): MethodDecorator & PropertyDecorator {
  return Authorized<Access>(...requirements);
}

const visibility = new Map<Function, Access[]>();

/**
 * Who may see an object type at all, wherever it appears. Not checked per field at run time:
 * `accessViolations` (graphql/access-map.ts) proves that every root operation reaching the type
 * lets only such callers through, and a test fails otherwise.
 */
export function VisibleTo(...requirements: Access[]): ClassDecorator {
  return (target) => {
    visibility.set(target, requirements);
  };
}

export function visibilityOf(type: Function): Access[] | undefined {
  return visibility.get(type);
}

/**
 * type-graphql's authChecker: throws a coded error instead of answering "false". An arrow
 * function on purpose: type-graphql treats anything with a prototype as a class to instantiate.
 */
export const checkAccess = ({ context }: ResolverData<RequestContext>, requirements: Access[]): boolean => {
  for (const requirement of requirements) {
    switch (requirement) {
      case Access.PUBLIC:
        break;
      case Access.CERTIFICATE:
        if (!context.identity) throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'A client certificate is required.');
        break;
      case Access.SESSION:
      case Access.SESSION_ANY_PASSWORD_STATE:
      case Access.ADMIN:
      case Access.OPERATOR:
      case Access.ADMIN_OR_OPERATOR:
      case Access.ACCOUNT_INQUIRY:
      case Access.TRANSFER:
      case Access.TRANSFER_APPROVAL:
      case Access.TRANSFER_OR_APPROVAL:
        if (!context.identity) throw new DomainError(ErrorCode.CERTIFICATE_REJECTED, 'A client certificate is required.');
        if (!context.session) {
          throw context.sessionProblem ?? new DomainError(ErrorCode.UNAUTHENTICATED, 'Please log in with your PIN first.');
        }
        if (requirement !== Access.SESSION_ANY_PASSWORD_STATE && context.passwordChangeRequired) {
          throw new DomainError(
            ErrorCode.PASSWORD_EXPIRED,
            context.identity.user.loginPasswordTemporary || context.identity.user.confirmationPasswordTemporary
              ? 'Your password was reset. Please change your temporary password (changePassword) before anything else.'
              : 'Your login password has expired. Please change it (changePassword) to continue.',
          );
        }
        if (ROLES_ALLOWED[requirement] && !ROLES_ALLOWED[requirement]!.includes(context.identity.user.role)) {
          throw new DomainError(ErrorCode.FORBIDDEN, `This operation is for ${ROLES_ALLOWED[requirement]!.join(' or ')} users only.`, {
            required: requirement,
          });
        }
        if (PERMISSIONS_ALLOWED[requirement] && !PERMISSIONS_ALLOWED[requirement]!.some((p) => context.identity!.user.permissions.includes(p))) {
          throw new DomainError(
            ErrorCode.FORBIDDEN,
            `This operation needs the ${PERMISSIONS_ALLOWED[requirement]!.join(' or ')} permission (業務権限); ask your administrator.`,
            { required: requirement },
          );
        }
        break;
      default:
        throw new DomainError(ErrorCode.FORBIDDEN, 'Access denied.');
    }
  }
  return true;
};
