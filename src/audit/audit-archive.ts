import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { auditEventLine, ChainWalk, GENESIS_HASH } from './audit-chain';
import type { AuditEvent } from './audit-event.entity';
import { extend } from '../common/extend';

/**
 * The audit archive: for each chain, one JSON Lines file of the events retention took out of the
 * database, oldest first, each line as the audit-log download writes it (with the chain fields). A file
 * always holds its chain from the first event on, each place once, so it verifies from the genesis
 * on its own; its last line is where the database's anchor points.
 */

/** `contract:12` → `<dir>/contract-12.jsonl`; the bank's chain → `<dir>/bank.jsonl`. */
export function archiveFileOf(dir: string, chain: string): string {
  return path.join(dir, `${chain.replace(':', '-')}.jsonl`);
}

/**
 * Anyone who can write in the archive folder could plant a link where a chain's file or checkpoint
 * goes, and have retention append to (or cut short) a file elsewhere: a folder writable by group
 * or others is refused, and so is any file there that is not a plain file (a symbolic link above
 * all; files are also opened with O_NOFOLLOW). The folder itself may be reached through a link.
 */
export class UnsafeArchiveError extends Error {}

/** Creates the folder (0700) if it is missing, and refuses one that others may write in. */
export async function safeArchiveFolder(dir: string): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const stat = await fs.promises.stat(dir);
  if (!stat.isDirectory()) throw new UnsafeArchiveError(`The audit archive folder ${dir} is not a folder.`);
  if (stat.mode & 0o022) {
    throw new UnsafeArchiveError(
      `The audit archive folder ${dir} is writable by group or others (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}): ` +
        'nothing is archived or pruned until it is not (chmod go-w).',
    );
  }
}

/** O_NOFOLLOW where the platform has it (not on Windows, where links need privileges to make). */
const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** Opens a file in the archive folder, refusing a link or anything but a plain file in its place. */
export async function openArchiveFile(file: string, flags: number, mode = 0o600): Promise<fs.promises.FileHandle> {
  const refuse = () =>
    new UnsafeArchiveError(`${file} is a symbolic link or not a plain file: refused (nothing is archived, pruned or read through it).`);
  const before = await fs.promises.lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (before && !before.isFile()) throw refuse();
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, flags | NO_FOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw refuse();
    throw error;
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw refuse();
  }
  return handle;
}

export interface ArchiveEnd {
  /** The place and hash of the last complete line (0 and the genesis hash for an empty or missing file). */
  sequence: number;
  hash: string;
}

/** The longest line an event makes (detail is at most 1,000 characters, 3 bytes each in UTF-8), with room. */
const TAIL_BYTES = 64 * 1024;

/**
 * Where an archive ends. A last line without its newline is the trace of a run that died while
 * writing — before its fsync, so before anything was deleted: it does not count, and `repair`
 * (only by the instance that holds the chain's lease) cuts it off before more is appended.
 */
export async function archiveEnd(file: string, options: { repair: boolean }): Promise<ArchiveEnd> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await openArchiveFile(file, options.repair ? fs.constants.O_RDWR : fs.constants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sequence: 0, hash: GENESIS_HASH };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    const lastNewline = tail.lastIndexOf(0x0a);
    if (lastNewline < length - 1 && options.repair) {
      await handle.truncate(size - length + lastNewline + 1);
      await handle.sync();
    }
    if (lastNewline < 0 && size === length) return { sequence: 0, hash: GENESIS_HASH };
    const lineStart = lastNewline > 0 ? tail.lastIndexOf(0x0a, lastNewline - 1) + 1 : 0;
    if (lastNewline < 0 || (lineStart === 0 && size > length)) throw new Error(`${file}: no complete line in its last ${TAIL_BYTES} bytes`);
    const line = tail.subarray(lineStart, lastNewline).toString('utf8');
    const { sequence, hash } = JSON.parse(line) as { sequence: number; hash: string };
    return { sequence, hash };
  } finally {
    await handle.close();
  }
}

/**
 * Whether an archive ends where the database's anchor says the pruned events end: exactly there, or
 * further on at an event the database still holds unchanged (a run died between writing and deleting).
 */
export async function archiveMeetsAnchor(
  end: ArchiveEnd,
  anchor: { prunedSequence: number; prunedHash: string },
  hashInDatabase: (sequence: number) => Promise<string | null>,
): Promise<boolean> {
  if (end.sequence === anchor.prunedSequence) return end.hash === anchor.prunedHash;
  return end.sequence > anchor.prunedSequence && (await hashInDatabase(end.sequence)) === end.hash;
}

/** Appends the chain's next events and returns only once they are on disk (the file, and a new file's name). */
export async function appendToArchive(file: string, events: AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const dir = path.dirname(file);
  await safeArchiveFolder(dir);
  const isNew = !fs.existsSync(file);
  const { O_WRONLY, O_APPEND, O_CREAT } = fs.constants;
  const handle = await openArchiveFile(file, O_WRONLY | O_APPEND | O_CREAT);
  try {
    await handle.writeFile(events.map((event) => `${auditEventLine(event)}\n`).join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (isNew) {
    const directory = await fs.promises.open(dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
}

export interface ArchiveCheck {
  ok: boolean;
  chain: string | null;
  /** Events found intact, from the first line on. */
  events: number;
  /** The place and hash of the last intact event: compare them with verifyAuditChain's anchor. */
  sequence: number;
  hash: string;
  /** The line (from 1) of the first problem. */
  brokenAtLine: number | null;
  problem: string | null;
}

/** Checks an archive file link by link from the genesis, with the audit key but without the database (offline, as the bank checks its copy). */
export async function checkArchive(file: string, key: Buffer): Promise<ArchiveCheck> {
  let walk: ChainWalk | null = null;
  let lineNumber = 0;
  const result = (problem: string | null): ArchiveCheck => ({
    ok: problem === null,
    chain: walk?.chain ?? null,
    events: walk?.sequence ?? 0,
    sequence: walk?.sequence ?? 0,
    hash: walk?.hash ?? GENESIS_HASH,
    brokenAtLine: problem === null ? null : lineNumber,
    problem,
  });
  const input = fs.createReadStream(file);
  try {
    for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
      lineNumber++;
      let event: AuditEvent;
      try {
        const parsed = JSON.parse(line) as AuditEvent & { occurredAt: string };
        event = extend(parsed, { occurredAt: new Date(parsed.occurredAt) });
      } catch {
        return result('The line is not a complete event.');
      }
      // Without the database the seal is unknown: unkeyed lines are accepted up to the first keyed one.
      walk ??= new ChainWalk(event.chain ?? '', { key, keyedFrom: null });
      const problem = walk.follow(event);
      if (problem) return result(problem);
    }
    return result(null);
  } finally {
    input.destroy();
  }
}
