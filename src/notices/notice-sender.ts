import crypto from 'node:crypto';
import os from 'node:os';
import { type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock';
import { quoted } from '../db/counters';
import type { Database } from '../db/database';
import { Notice, NoticeStatus } from './notice.entity';
import type { NoticeTransport } from './notice-transport';
import { extend } from '../common/extend';

export interface SenderSettings {
  /** 0: this instance sends none (another does). */
  intervalSeconds: number;
  leaseSeconds: number;
  maxAttempts: number;
  /** The domain of the Message-IDs (the sender address's). */
  messageIdDomain: string;
}

/** Waits between attempts: 1, 2, 4 … minutes, at most an hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(60 * 2 ** Math.max(0, attempts - 1), 3600);
}

/**
 * Sends the outbox, on every instance, each row exactly once as far as SMTP allows: a row is
 * claimed by a conditional UPDATE that only one instance can win (PENDING, due, and not under
 * another's live lease), sent, and marked SENT at once, one row at a time. An instance killed
 * mid-send leaves its row PENDING under a lease that runs out; another instance then sends it
 * again with the same Message-ID (docs/notices.md: effectively once).
 */
export class NoticeSender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  /** This instance, in claimedBy. */
  readonly instanceId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly transport: NoticeTransport,
    private readonly settings: SenderSettings,
  ) {}

  start(): void {
    if (this.settings.intervalSeconds === 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.sendDue().catch((error: unknown) => this.logger.error({ err: error }, 'notice run failed'));
    }, this.settings.intervalSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    this.transport.close();
  }

  /** Sends every due notice now, one at a time; a call while a run is in progress joins it. Returns how many went out. */
  sendDue(): Promise<number> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<number> {
    let sent = 0;
    for (;;) {
      const notice = await this.claimNext();
      if (!notice) return sent;
      if (await this.deliver(notice)) sent++;
    }
  }

  /** The oldest due notice nobody holds, claimed for this instance; null when none is left. */
  private async claimNext(): Promise<Notice | null> {
    const now = this.clock.now();
    const due = await this.db.manager
      .createQueryBuilder(Notice, 'n')
      .select('n.id', 'id')
      .where('n.status = :pending AND n.nextAttemptAt <= :now', { pending: NoticeStatus.PENDING, now })
      .andWhere('(n.leaseUntil IS NULL OR n.leaseUntil < :now)', { now })
      .orderBy('n.id', 'ASC')
      .limit(20)
      .getRawMany<{ id: number }>();
    for (const { id } of due) {
      const claimed = await this.db.transaction((m) => this.claim(m, Number(id), now));
      if (claimed) return claimed;
    }
    return null;
  }

  private async claim(m: EntityManager, id: number, now: Date): Promise<Notice | null> {
    const leaseUntil = new Date(now.getTime() + this.settings.leaseSeconds * 1000);
    const won = await m
      .createQueryBuilder()
      .update(Notice)
      .set({ claimedBy: this.instanceId, leaseUntil, attempts: () => `${quoted(m, 'attempts')} + 1` })
      .where('id = :id AND status = :pending AND nextAttemptAt <= :now', { id, pending: NoticeStatus.PENDING, now })
      .andWhere('(leaseUntil IS NULL OR leaseUntil < :now)', { now })
      .execute();
    return won.affected ? m.findOneByOrFail(Notice, { id }) : null;
  }

  private async deliver(notice: Notice): Promise<boolean> {
    try {
      await this.transport.send({
        messageId: `<notice-${notice.id}@${this.settings.messageIdDomain}>`,
        to: notice.emailAddress,
        subject: notice.subject,
        text: notice.body,
      });
    } catch (error) {
      await this.failed(notice, error);
      return false;
    }
    const status = this.transport.delivers ? NoticeStatus.SENT : NoticeStatus.LOGGED;
    const marked = await this.release(notice, { status, sentAt: this.clock.now(), lastError: null });
    // The lease ran out during the send and another instance holds the row: it will send it again.
    if (!marked) this.logger.warn({ noticeId: notice.id }, 'a notice was sent after its lease ran out');
    return true;
  }

  private async failed(notice: Notice, error: unknown): Promise<void> {
    const reason = smtpReason(error);
    const giveUp = notice.attempts >= this.settings.maxAttempts;
    const next = new Date(this.clock.now().getTime() + retryDelaySeconds(notice.attempts) * 1000);
    await this.release(notice, giveUp ? { status: NoticeStatus.FAILED, lastError: reason } : { nextAttemptAt: next, lastError: reason });
    this.logger.warn({ noticeId: notice.id, attempts: notice.attempts, gaveUp: giveUp, reason }, 'a notice could not be sent');
  }

  /** Ends this instance's claim with the row's new state, if it still holds it. */
  private async release(notice: Notice, set: Partial<Notice>): Promise<boolean> {
    const done = await this.db.transaction((m) =>
      m.update(
        Notice,
        { id: notice.id, claimedBy: this.instanceId, status: NoticeStatus.PENDING },
        extend(set, { claimedBy: null, leaseUntil: null }),
      ),
    );
    return Boolean(done.affected);
  }
}

/** The SMTP server's answer or the connection's error code: no address, password or body. */
function smtpReason(error: unknown): string {
  const e = error as { responseCode?: number; response?: string; code?: string };
  const text = e.responseCode ? `${e.responseCode} ${e.response ?? ''}` : (e.code ?? 'ERROR');
  return text.slice(0, 300);
}
