import crypto from 'node:crypto';
import { DomainError, ErrorCode } from '../../common/domain-error';
import type { Database } from '../../db/database';
import type { RequestContext } from '../../graphql/context';
import type { BankDate } from '../calendar/bank-calendar';
import type { OrderCreation, OrderRequest } from '../orders/order-creation';
import type { OrderKind } from '../orders/order-kind';
import { normalizePayeeName } from '../payee-name';
import {
  parseZenginTransferFileInTurns,
  validateTransferLinesInTurns,
  type TransferLineInput,
  type ZenginAccount,
  type ZenginProblem,
  type ZenginTransferHeader,
  type ZenginTransferLine,
  headerAccountProblems,
} from '../zengin';
import { runInTurns, turnEndsBefore, type Steps } from '../zengin/in-turns';
import { PreparedInsert, type RowSource } from './insert-in-chunks';
import { LinesSource, type LineStore, type LinesOrder, type OrderLine } from './order-line.entity';

/** What both ways in (a Zengin file, JSON lines) hand over once their lines are checked. */
export interface LinesRequest {
  /** The GraphQL operation, part of "the same request" for an idempotency key. */
  operation: string;
  source: LinesSource;
  fromAccountId: number;
  lines: ZenginTransferLine[];
  total: number;
  requesterName: string | null;
  /** The day asked for (the file's 振込指定日, or transferDate), if any. */
  requestedDate: BankDate | null;
  /** A file's header: it must name this bank and the account paid from. */
  header?: ZenginAccount;
}

/** An order refused for what its lines hold: every problem by record (or line) and field, nothing changed. */
export function refusedLines(field: 'fileBase64' | 'lines', problems: ZenginProblem[], truncated: boolean): DomainError {
  const count = `${truncated ? 'more than ' : ''}${problems.length} problem${problems.length === 1 && !truncated ? '' : 's'}`;
  const what = field === 'fileBase64' ? `The file has ${count}` : `The lines have ${count}`;
  return new DomainError(ErrorCode.BAD_USER_INPUT, `${what}; nothing was done.`, { field, problems, truncated });
}

/** Strict base64 (standard alphabet, padding optional): a typo must not decode to other bytes. */
function decodeBase64Strictly(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
  return Buffer.from(compact, 'base64');
}

/** Base64 characters decoded per turn (a multiple of 4): well under a millisecond each. */
const BASE64_PER_TURN = 256 * 1024;
const PADDING = 0x3d; // =

/**
 * decodeBase64Strictly in slices, other requests served between them: its two regular
 * expressions over a bulk import's 1.6 MB held the event loop for several milliseconds at once
 * (bench: bulk-transfer). Node's decoder skips what is not base64, so each slice is encoded again
 * and must come back as it was: then it was base64 through and through, padded at most at the
 * very end. Anything else (line breaks, a stray character, odd padding) is decided by
 * decodeBase64Strictly itself, as before.
 */
export function* decodeBase64(text: string): Steps<Buffer | undefined> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < text.length; at += BASE64_PER_TURN) {
    if (at > 0) yield;
    const slice = text.slice(at, at + BASE64_PER_TURN);
    const last = at + BASE64_PER_TURN >= text.length;
    const piece = Buffer.from(slice, 'base64');
    const again = piece.toString('base64');
    const same = last
      ? again === slice || again.replace(/=+$/, '') === slice
      : again === slice && slice.charCodeAt(slice.length - 1) !== PADDING;
    if (!same) return decodeBase64Strictly(text);
    pieces.push(piece);
  }
  return Buffer.concat(pieces);
}

/** BULK_TRANSFER_MAX_LINES: more lines are refused before they are checked, confirmed or stored. */
function assertLineCount(field: 'fileBase64' | 'lines', lineCount: number, maxLines: number): void {
  if (lineCount <= maxLines) return;
  throw new DomainError(
    ErrorCode.BAD_USER_INPUT,
    `An order of lines may have at most ${maxLines} lines; this one has ${lineCount}. Split it into several; nothing was done.`,
    { field, maxLines, lineCount },
  );
}

/**
 * A base64 Zengin file of one of `typeCodes`, read and checked whole (every problem at once), at
 * most `maxLines` lines; other requests are served between slices of its records.
 */
export async function readZenginFile(
  fileBase64: string,
  typeCodes: readonly string[],
  maxLines: number,
): Promise<{ header: ZenginTransferHeader; lines: ZenginTransferLine[]; total: number }> {
  const bytes = await runInTurns(decodeBase64(fileBase64));
  if (!bytes) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'fileBase64 is not base64.', { field: 'fileBase64' });
  const parsed = await parseZenginTransferFileInTurns(bytes, typeCodes);
  if (!parsed.ok) throw refusedLines('fileBase64', parsed.problems, parsed.truncated);
  assertLineCount('fileBase64', parsed.file.lines.length, maxLines);
  return parsed.file;
}

/** Lines sent as JSON, checked by the same rules as a file's data records, at most `maxLines` of them, in slices as a file's are. */
export async function readJsonLines(lines: TransferLineInput[], maxLines: number): Promise<{ lines: ZenginTransferLine[]; total: number }> {
  assertLineCount('lines', lines.length, maxLines);
  const checked = await validateTransferLinesInTurns(lines);
  if (!checked.ok) throw refusedLines('lines', checked.problems, checked.truncated);
  return checked;
}

/**
 * The lines in a fixed order of fixed fields, for "the same request": the SHA-256 of their JSON
 * array, hashed a line at a time with other requests served every RECORDS_PER_TURN lines.
 */
function* linesDigest(lines: readonly ZenginTransferLine[]): Steps<string> {
  const hash = crypto.createHash('sha256').update('[');
  for (const [index, l] of lines.entries()) {
    if (turnEndsBefore(index)) yield;
    const canonical = [
      l.bankCode,
      l.branchCode,
      l.accountType,
      l.accountNumber,
      l.payeeName,
      l.amount,
      l.customerCode1 ?? null,
      l.customerCode2 ?? null,
      l.ediInfo ?? null,
    ];
    hash.update(index > 0 ? `,${JSON.stringify(canonical)}` : JSON.stringify(canonical));
  }
  return hash.update(']').digest('hex');
}

/**
 * Creates an order of lines of any kind through the one order life (OrderCreation): every line a
 * transfer under the maker's per-transfer limit (named "record N" of a file, "line N" of JSON),
 * the total reserved against the kind's daily limits, and the lines stored, as the bank records
 * them, in the creating transaction. `columns` are the kind's own; `sameRequest` what besides the
 * account, the date and the lines makes "the same request"; `executionDate` the kind's own date
 * rule (see OrderRequest). A file's header must name `call.bank` and the account paid from.
 */
export async function createLinesOrder<O extends LinesOrder, L extends OrderLine>(
  orders: OrderCreation,
  db: Database,
  kind: OrderKind<O>,
  store: LineStore<L>,
  call: { ctx: RequestContext; confirmationPassword: string; key: string | undefined; bank: { code: string; name: string } },
  request: LinesRequest,
  own: { columns: Partial<O>; sameRequest?: readonly unknown[]; executionDate?: (now: Date) => BankDate },
): Promise<O> {
  // The payee names are checked before the transaction, in slices (a name the bank cannot record
  // refuses the order); each line's row is made only when its INSERT is (PreparedInsert), the
  // order's id, not known yet, a 0 in its column until then.
  const payeeNames = await runInTurns(recordedPayeeNames(request.lines));
  const rows: RowSource<Omit<OrderLine, 'id'>> = {
    length: request.lines.length,
    at: (index) => Object.assign(lineColumns(request.lines[index], index, payeeNames[index]), { [store.orderColumn]: 0 }),
  };
  const insert = PreparedInsert.of(db.dataSource, store.entity, rows as RowSource<L>);
  const digest = await runInTurns(linesDigest(request.lines));
  const order: OrderRequest<O> = {
    operation: request.operation,
    sameRequestFields: [request.fromAccountId, request.requestedDate, digest, ...(own.sameRequest ?? [])],
    fromAccountId: request.fromAccountId,
    transfers: request.lines.map((line) => ({
      amount: line.amount,
      record: line.record,
      label: `${request.source === LinesSource.ZENGIN_FILE ? 'record' : 'line'} ${line.record}`,
    })),
    requestedDate: request.requestedDate,
    requestedDateSource: request.header ? { field: 'transferDate', record: 1 } : { field: 'transferDate' },
    executionDate: own.executionDate,
    // A file's header must name this bank and the account paid from (before the password: nothing is done).
    checkPayingAccount: (account) => {
      const problems = request.header ? headerAccountProblems(request.header, call.bank, account) : [];
      if (problems.length) throw refusedLines('fileBase64', problems, false);
    },
    columns: {
      source: request.source,
      requesterName: request.requesterName,
      lineCount: request.lines.length,
      totalAmount: request.total,
      ...own.columns,
    } as Partial<O>,
    detail: { source: request.source },
    afterInsert: (m, made) => insert.run(m, { property: store.orderColumn, value: made.id }),
  };
  return orders.create(kind, call.ctx, order, call.confirmationPassword, call.key);
}

/**
 * Every line's 受取人名 as the bank records it (normalizePayeeName, which refuses a name it cannot
 * record), with other requests served every RECORDS_PER_TURN lines: the normalisation is the
 * costly part of making a line's row.
 */
function* recordedPayeeNames(lines: readonly ZenginTransferLine[]): Steps<string[]> {
  const names: string[] = [];
  for (const [index, line] of lines.entries()) {
    if (turnEndsBefore(index)) yield;
    names.push(normalizePayeeName(line.payeeName));
  }
  return names;
}

/** A checked line as the bank stores it, numbered from 1 in the order given, with its payee name as recorded. */
function lineColumns(line: ZenginTransferLine, index: number, payeeName: string): Omit<OrderLine, 'id'> {
  return {
    lineNumber: index + 1,
    bankCode: line.bankCode,
    bankName: line.bankName,
    branchCode: line.branchCode,
    branchName: line.branchName,
    accountType: line.accountType,
    accountNumber: line.accountNumber,
    payeeName,
    amount: line.amount,
    customerCode1: line.customerCode1 ?? null,
    customerCode2: line.customerCode2 ?? null,
    ediInfo: line.ediInfo ?? null,
  };
}
