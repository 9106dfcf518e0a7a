import crypto from 'node:crypto';

/**
 * 取引認証 for the administrator's risky changes: what a passkey confirming one is bound to. The
 * canonical form of a change is the facts its maker is shown and decides on — which contract, which
 * kind of change, and its values as they will be stored (after normalisation: a CIDR as the
 * allow-list keeps it, a 受取人名 in its recorded form, permissions and entries sorted and unique).
 * Its SHA-256 is hashed into the challenge and computed again from the mutation's own arguments at
 * the decision: an assertion made for one change refuses any other.
 *
 * Versioned and frozen like approval-binding.ts: changing it changes every golden vector in
 * test/unit/change-binding.spec.ts.
 */
export const CHANGE_BINDING_VERSION = 'cibg-change-binding/v1';

/** A payee's destination as it will be registered (the nickname is not a destination and is not bound). */
export interface BoundPayeeDestination {
  bankCode: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  payeeName: string;
}

/** The facts of one risky change. */
export type BoundChange =
  | {
      kind: 'NEW_USER';
      contractId: number;
      loginId: string;
      displayName: string;
      role: string;
      permissions: string[];
      transferLimitPerTransaction: number;
      dailyTransferLimit: number;
      /** The notice address as stored; bound only when given, so that a user without one hashes as before. */
      emailAddress?: string | null;
    }
  | { kind: 'USER_LIMITS'; contractId: number; userId: number; transferLimitPerTransaction: number; dailyTransferLimit: number }
  | { kind: 'IP_ALLOW_LIST'; contractId: number; entries: string[] }
  | { kind: 'PAYEE'; contractId: number; payeeId: number | null; destination: BoundPayeeDestination };

const sortedUnique = (values: string[]) => [...new Set(values)].sort();

/** The canonical form: the version, then [name, value] pairs in a fixed order, as JSON (no value can be read as another's). */
export function canonicalChange(change: BoundChange): string {
  const pairs: Array<[string, unknown]> = [
    ['kind', change.kind],
    ['contractId', change.contractId],
  ];
  switch (change.kind) {
    case 'NEW_USER':
      pairs.push(
        ['loginId', change.loginId],
        ['displayName', change.displayName],
        ['role', change.role],
        ['permissions', sortedUnique(change.permissions)],
        ['transferLimitPerTransaction', change.transferLimitPerTransaction],
        ['dailyTransferLimit', change.dailyTransferLimit],
      );
      if (change.emailAddress) pairs.push(['emailAddress', change.emailAddress]);
      break;
    case 'USER_LIMITS':
      pairs.push(
        ['userId', change.userId],
        ['transferLimitPerTransaction', change.transferLimitPerTransaction],
        ['dailyTransferLimit', change.dailyTransferLimit],
      );
      break;
    case 'IP_ALLOW_LIST':
      pairs.push(['entries', sortedUnique(change.entries)]);
      break;
    case 'PAYEE': {
      const d = change.destination;
      pairs.push(
        ['payeeId', change.payeeId],
        ['to', [d.bankCode, d.branchCode, d.accountType, d.accountNumber]],
        ['payeeName', d.payeeName],
      );
      break;
    }
  }
  return `${CHANGE_BINDING_VERSION}\n${JSON.stringify(pairs)}`;
}

/** The binding: SHA-256 (hex) of the canonical form. */
export function changeBinding(change: BoundChange): string {
  return crypto.createHash('sha256').update(canonicalChange(change), 'utf8').digest('hex');
}

/** What the challenge names besides its binding: the thing changed (a new user or payee: the contract). */
export function changeTarget(change: BoundChange): { targetType: string; targetId: number } {
  switch (change.kind) {
    case 'USER_LIMITS':
      return { targetType: 'User', targetId: change.userId };
    case 'PAYEE':
      return change.payeeId === null
        ? { targetType: 'Contract', targetId: change.contractId }
        : { targetType: 'Payee', targetId: change.payeeId };
    default:
      return { targetType: 'Contract', targetId: change.contractId };
  }
}
