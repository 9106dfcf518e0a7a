import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openArchiveFile, safeArchiveFolder } from './audit-archive';
import { sameMac } from './audit-chain';
import { extend } from '../common/extend';

/**
 * Checkpoints: the head of each chain as last seen, written outside the database — beside the
 * archive, HMACed with the audit key — so that deleting the newest events and rolling the head
 * back in the database no longer passes verifyAuditChain: the chain must still reach the
 * checkpoint's place with the checkpoint's hash. Written by every successful verifyAuditChain and
 * by the scheduler's run (SCHEDULER_INTERVAL_SECONDS); events newer than the last checkpoint are
 * protected by the key against edits, not yet against being cut off.
 *
 * One file per chain and seal (`contract-12.<sealId>.checkpoint.json`): the seal's random id
 * tells this database's chain from a chain of the same name in another database.
 */
export interface Checkpoint {
  chain: string;
  sealId: string;
  sequence: number;
  hash: string;
  writtenAt: string;
}

export type CheckpointRead = Checkpoint | null | { altered: true };

export class AuditCheckpoints {
  constructor(
    private readonly dir: string,
    private readonly key: Buffer,
  ) {}

  fileOf(chain: string, sealId: string): string {
    return path.join(this.dir, `${chain.replace(':', '-')}.${sealId}.checkpoint.json`);
  }

  private mac(checkpoint: Checkpoint): string {
    const text = JSON.stringify([
      'checkpoint',
      checkpoint.chain,
      checkpoint.sealId,
      checkpoint.sequence,
      checkpoint.hash,
      checkpoint.writtenAt,
    ]);
    return crypto.createHmac('sha256', this.key).update(text).digest('hex');
  }

  /** The chain's checkpoint; null when there is none yet; `altered` when its MAC does not hold. */
  async read(chain: string, sealId: string): Promise<CheckpointRead> {
    let text: string;
    try {
      const handle = await openArchiveFile(this.fileOf(chain, sealId), fs.constants.O_RDONLY);
      try {
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const { mac, ...fields } = JSON.parse(text) as Checkpoint & { mac: string };
      const checkpoint: Checkpoint = {
        chain: fields.chain,
        sealId: fields.sealId,
        sequence: fields.sequence,
        hash: fields.hash,
        writtenAt: fields.writtenAt,
      };
      if (checkpoint.chain !== chain || checkpoint.sealId !== sealId || !sameMac(mac, this.mac(checkpoint))) return { altered: true };
      return checkpoint;
    } catch {
      return { altered: true };
    }
  }

  /**
   * Records the chain's head, never moving a checkpoint back (a head behind it is what verify
   * reports). Written to a new file, fsynced and renamed over the old one, so a crash leaves the
   * old checkpoint or the new one, never half of one; the rename replaces a planted link rather
   * than following it.
   */
  async write(checkpoint: Omit<Checkpoint, 'writtenAt'>, now: Date): Promise<void> {
    const current = await this.read(checkpoint.chain, checkpoint.sealId);
    // An altered checkpoint stays as it is, for verifyAuditChain to report.
    if (current && ('altered' in current || current.sequence >= checkpoint.sequence)) return;
    await safeArchiveFolder(this.dir);
    const full: Checkpoint = extend(checkpoint, { writtenAt: now.toISOString() });
    const file = this.fileOf(checkpoint.chain, checkpoint.sealId);
    const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    const { O_WRONLY, O_CREAT, O_EXCL } = fs.constants;
    const handle = await openArchiveFile(temporary, O_WRONLY | O_CREAT | O_EXCL);
    try {
      await handle.writeFile(`${JSON.stringify(extend(full, { mac: this.mac(full) }))}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temporary, file);
    const directory = await fs.promises.open(this.dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
}
