import fs from 'node:fs';

/** Why the path no longer leads to the database this process has open. */
export type SqliteFileLoss = 'deleted' | 'replaced';

/**
 * The identity (device + inode) of the SQLite file this process opened. Deleting the file (or
 * replacing it, as a restore copied over it would) does not stop the process: it goes on reading
 * and writing the unlinked file, answering 200 to transfers that vanish at the next start. One
 * stat (microseconds) before each write transaction and each readiness probe notices it.
 */
export class SqliteFileWatch {
  private readonly device: number;
  private readonly inode: number;

  constructor(readonly file: string) {
    const opened = fs.statSync(file);
    this.device = opened.dev;
    this.inode = opened.ino;
  }

  /** Null while the path still names the file that was opened. */
  loss(): SqliteFileLoss | null {
    try {
      const now = fs.statSync(this.file);
      return now.dev === this.device && now.ino === this.inode ? null : 'replaced';
    } catch {
      return 'deleted';
    }
  }
}
