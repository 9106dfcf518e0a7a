// npm run audit:prune                  archive, then prune, the audit events past AUDIT_RETENTION_DAYS, now
// npm run audit:check-archive -- <file> check an archive file link by link, with the audit key (AUDIT_CHAIN_KEY_PATH) but without the database
//
// Pruning is what the gateway's scheduler does on every instance (SCHEDULER_INTERVAL_SECONDS); this
// runs it once, on a gateway host with the gateway's configuration (DATABASE_URL,
// AUDIT_RETENTION_DAYS, AUDIT_ARCHIVE_DIR), safely beside running gateways. The check prints where
// the archive ends: verifyAuditChain's prunedThroughSequence and prunedThroughHash must be the same.
import 'reflect-metadata';
import pino from 'pino';
import { checkArchive } from '../src/audit/audit-archive';
import { loadAuditChainKey } from '../src/audit/audit-chain-key';
import { AuditRetentionService } from '../src/audit/audit-retention.service';
import { systemClock } from '../src/common/clock';
import { loadConfig } from '../src/config';
import { Database } from '../src/db/database';

async function prune(): Promise<number> {
  const config = loadConfig();
  if (config.audit.retentionDays === 0) {
    console.error('AUDIT_RETENTION_DAYS is 0 (every event is kept): nothing to prune.');
    return 2;
  }
  const db = await Database.open(config.database);
  try {
    const retention = new AuditRetentionService(db, systemClock, pino({ level: config.logLevel }), config.audit, loadAuditChainKey(config));
    const run = await retention.run();
    console.log(
      `Events before ${retention.cutoff()!.toISOString()}: ${run.archived} archived to ${config.audit.archiveDir}, ${run.pruned} pruned, ` +
        `${run.failed} chain(s) left as they were${run.failed ? ' (see the log above)' : ''}.`,
    );
    return run.failed ? 1 : 0;
  } finally {
    await db.close();
  }
}

async function check(file: string | undefined): Promise<number> {
  if (!file) {
    console.error('usage: npm run audit:check-archive -- <archive file>');
    return 2;
  }
  const result = await checkArchive(file, loadAuditChainKey(loadConfig()));
  console.log(JSON.stringify(result, null, 2));
  return result.ok ? 0 : 1;
}

async function main() {
  const [command, file] = process.argv.slice(2);
  const commands: Record<string, () => Promise<number>> = { prune, check: () => check(file) };
  if (!commands[command]) {
    console.error('usage: node dist/scripts/audit-archive.js prune | check <file>');
    process.exitCode = 2;
    return;
  }
  try {
    process.exitCode = await commands[command]();
  } catch (error) {
    console.error(`Failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

main();
