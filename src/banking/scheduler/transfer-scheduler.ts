import type { Logger } from 'pino';
import type { LimitRaises } from '../../admin/limit-raises';
import type { AuditChainService } from '../../audit/audit-chain.service';
import type { AuditRetentionService } from '../../audit/audit-retention.service';
import type { IdempotencyKeys } from '../orders/idempotency';
import type { OrderExecution } from '../orders/order-execution';
import type { OrderKind } from '../orders/order-kind';

/** Due transfers taken per round; a run goes round until none is left. */
const BATCH = 100;

/** What a run did: due orders of every kind, each counted once. */
export interface ScheduledRun {
  executed: number;
  failed: number;
  /** Due orders another instance ran (or a user cancelled) first. */
  taken: number;
}

/**
 * The scheduled run (予約の実行): on every instance, every SCHEDULER_INTERVAL_SECONDS, the
 * SCHEDULED orders of every kind whose execution date has come are executed — each exactly once
 * across all instances, because each is claimed by a conditional UPDATE inside the transaction that
 * runs it (OrderExecution.runScheduled): a claim another instance has made changes no row, and a run that
 * dies midway rolls back whole, claim included, for the next run to take. On the way, expired
 * idempotency keys (and the authorization server's expired records) are purged, raised limits whose delay has passed applied, audit events past their retention archived and pruned (each
 * chain by one instance at a time: AuditRetentionService), and each audit chain's head checkpointed
 * outside the database (AuditChainService.checkpointAll).
 */
export class TransferScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<ScheduledRun> | null = null;

  constructor(
    private readonly execution: OrderExecution,
    /** Every kind of payment order, run in this order. */
    private readonly kinds: readonly OrderKind[],
    private readonly idempotency: IdempotencyKeys,
    private readonly auditRetention: AuditRetentionService,
    private readonly auditChain: AuditChainService,
    private readonly logger: Logger,
    private readonly intervalSeconds: number,
    private readonly limitRaises?: LimitRaises,
    /** Other stores' purges of what has expired (the authorization server's codes and tokens), run after the idempotency keys'. */
    private readonly purges: ReadonlyArray<() => Promise<unknown>> = [],
  ) {}

  /** Starts the interval timer (not with an interval of 0); it never keeps the process alive. */
  start(): void {
    if (this.intervalSeconds === 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.runDue().catch((error: unknown) => this.logger.error({ err: error }, 'scheduled transfer run failed'));
    }, this.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress to finish (before the database closes). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Executes every due transfer now; a call while a run is in progress joins that run. */
  runDue(): Promise<ScheduledRun> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<ScheduledRun> {
    const outcome: ScheduledRun = { executed: 0, failed: 0, taken: 0 };
    for (const kind of this.kinds) {
      const seen = new Set<number>();
      for (;;) {
        const due = (await this.execution.due(kind, BATCH)).filter((id) => !seen.has(id));
        if (due.length === 0) break;
        for (const id of due) {
          seen.add(id);
          try {
            outcome[await this.execution.runScheduled(kind, id)] += 1;
          } catch (error) {
            // Rolled back whole: it stays SCHEDULED for the next run, and the others go on.
            this.logger.error({ err: error, id, kind: kind.noun }, 'a scheduled transfer could not be run');
          }
        }
      }
    }
    await this.idempotency.purgeExpired();
    for (const purge of this.purges) await purge();
    // Raised limits whose LIMIT_RAISE_DELAY_HOURS have passed (admin/limit-raises.ts).
    await this.limitRaises?.applyDue().catch((error: unknown) => this.logger.error({ err: error }, 'limit raises could not be applied'));
    // After the transfers, and never in their way: a failing archive is logged, not a failed run.
    await this.auditRetention.run().catch((error: unknown) => this.logger.error({ err: error }, 'audit retention run failed'));
    await this.auditChain.checkpointAll().catch((error: unknown) => this.logger.error({ err: error }, 'audit checkpoints failed'));
    if (outcome.executed || outcome.failed) this.logger.info(outcome, 'scheduled transfers run');
    return outcome;
  }
}
