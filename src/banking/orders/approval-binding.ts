import crypto from 'node:crypto';

/**
 * 取引認証: what an approval is bound to. The canonical form of an order is the facts its approver
 * is shown and decides on — which order, the account paid from, where the money goes (受取人名 as
 * sent), how much and on which day; for an order of lines, a hash over every line, their count and
 * their total. Its SHA-256 is the binding: hashed into the passkey challenge at the decision,
 * stored on the order when approved, and computed again from the stored order at execution — any
 * difference refuses (DESIGN.md §6.10).
 *
 * The form is versioned and frozen: changing it changes every golden vector in
 * test/unit/approval-binding.spec.ts, and an order approved under one version must be checked under it.
 */
export const BINDING_VERSION = 'cibg-order-binding/v1';

/** The account paid from, as the bank knows it (this bank: no bank code needed). */
export interface BoundAccount {
  branchCode: string;
  accountType: string;
  accountNumber: string;
}

/** A destination as it will be sent: bank, branch, account and 受取人名. */
export interface BoundDestination {
  bankCode: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  payeeName: string;
}

export interface BoundLine extends BoundDestination {
  lineNumber: number;
  amount: number;
}

/** The facts of one order an approval is bound to. */
export type BoundOrder =
  | { kind: 'TRANSFER'; id: number; from: BoundAccount; to: BoundDestination; amount: number; executionDate: string }
  | { kind: 'BULK_TRANSFER'; id: number; from: BoundAccount; lines: BoundLine[]; executionDate: string }
  | {
      kind: 'SALARY_TRANSFER';
      id: number;
      from: BoundAccount;
      lines: BoundLine[];
      executionDate: string;
      payday: string;
      category: string;
    };

const sha256 = (text: string): string => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** One line, in a fixed order of fields. */
const lineFields = (l: BoundLine) => [l.lineNumber, l.bankCode, l.branchCode, l.accountType, l.accountNumber, l.payeeName, l.amount];

/** The hash of an order's lines in line order: the "file hash" of a bulk or salary transfer, computed from what is stored. */
export function linesHash(lines: BoundLine[]): string {
  const ordered = [...lines].sort((a, b) => a.lineNumber - b.lineNumber);
  return sha256(JSON.stringify(ordered.map(lineFields)));
}

/**
 * The canonical form: the version, then [name, value] pairs in a fixed order, as JSON (so no value
 * can be read as another's: JSON escapes every separator). Amounts are integers of whole yen.
 */
export function canonicalOrder(order: BoundOrder): string {
  const from = ['from', [order.from.branchCode, order.from.accountType, order.from.accountNumber]];
  const pairs: Array<[string, unknown]> = [['kind', order.kind], ['id', order.id], from as [string, unknown]];
  if (order.kind === 'TRANSFER') {
    const t = order.to;
    pairs.push(['to', [t.bankCode, t.branchCode, t.accountType, t.accountNumber]], ['payeeName', t.payeeName], ['amount', order.amount]);
  } else {
    const total = order.lines.reduce((sum, line) => sum + line.amount, 0);
    pairs.push(['linesHash', linesHash(order.lines)], ['count', order.lines.length], ['total', total]);
    if (order.kind === 'SALARY_TRANSFER') pairs.push(['category', order.category], ['payday', order.payday]);
  }
  pairs.push(['executionDate', order.executionDate]);
  return `${BINDING_VERSION}\n${JSON.stringify(pairs)}`;
}

/** The binding: SHA-256 of the canonical form, 64 hex digits. */
export function orderBinding(order: BoundOrder): string {
  return sha256(canonicalOrder(order));
}
