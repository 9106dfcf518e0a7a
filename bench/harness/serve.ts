// A bench server's process (forked by ServerProcess.start): starts one server of `kind` on the
// bench's folder, reports its port, and for the gateway answers the bench's commands until told
// to stop. It exits with the bench, should the bench fail.
import { Session } from 'node:inspector/promises';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import v8 from 'node:v8';
import { Contract } from '../../src/contract/contract.entity';
import { createLogger } from '../../src/common/logger';
import { Gateway } from '../../src/gateway';
import { User } from '../../src/users/user.entity';
import { runBulkTransfer } from '../cases/bulk-transfer';
import { growUsers } from '../cases/data-scale';
import { loadOneByOne } from '../cases/lists';
import { createStormUsers, rawVerifiesPerSecond } from '../cases/login-storm';
import { growStatement } from '../cases/statement-download';
import { growAuditLog } from '../cases/worst-requests';
import { startBareApollo, startBareApolloOnExpress, startBareGraphqlJs, startBareHttps } from './baselines';
import { benchConfig, tlsMaterial, type Command, type ServerKind } from './servers';

type Handler = (gateway: Gateway, arg: number) => unknown;

let eventLoop: IntervalHistogram | null = null;
let profiler: Session | null = null;
/** Garbage collections by kind while a measurement is profiled (the CPU profile shows their time, not how many or which). */
export type GcTally = Record<'minor' | 'major' | 'incremental' | 'weakcb', { count: number; ms: number }> & { heapUsedMiB: number };
const GC_KINDS = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
} as const;
let gcTally: GcTally | null = null;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[(entry as unknown as { detail: { kind: keyof typeof GC_KINDS } }).detail.kind];
    if (gcTally && kind) {
      gcTally[kind].count++;
      gcTally[kind].ms += entry.duration;
    }
  }
});

const commands: Record<Command, Handler> = {
  bulk: (gateway) => runBulkTransfer(gateway),
  users: (gateway, total) => growUsers(gateway, total),
  auditEvents: (gateway, total) => growAuditLog(gateway, total),
  statementLines: (gateway, total) => growStatement(gateway, total),
  stormUsers: (gateway, count) => createStormUsers(gateway, count),
  rawVerifies: (gateway) => rawVerifiesPerSecond(gateway),
  statements: (gateway) => gateway.services.db.queryCounter.count,
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
  eventLoopStart: () => {
    eventLoop = monitorEventLoopDelay({ resolution: 5 });
    eventLoop.enable();
    return true;
  },
  eventLoopStop: () => {
    eventLoop!.disable();
    return eventLoop!.percentile(99) / 1e6;
  },
  // V8's CPU profiler (what node --cpu-prof runs) around a measurement only, not the start-up.
  profileStart: async () => {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    gcTally = {
      minor: { count: 0, ms: 0 },
      major: { count: 0, ms: 0 },
      incremental: { count: 0, ms: 0 },
      weakcb: { count: 0, ms: 0 },
      heapUsedMiB: 0,
    };
    gcObserver.observe({ entryTypes: ['gc'] });
    return true;
  },
  profileStop: async () => {
    const { profile } = await profiler!.post('Profiler.stop');
    profiler!.disconnect();
    gcObserver.disconnect();
    const gc = gcTally!;
    gc.heapUsedMiB = v8.getHeapStatistics().used_heap_size / 1048576;
    gcTally = null;
    return { profile, gc };
  },
  // Orders wait for an approver (bulk imports repeated beside whoami must not move money), limits as they are.
  requireApproval: async (gateway) => {
    await gateway.services.db.transaction((m) => m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: true }));
    return true;
  },
  // Transfers execute at once, with limits high enough never to stop them.
  unlimitTransfers: async (gateway) => {
    await gateway.services.db.transaction(async (m) => {
      await m.update(Contract, { code: 'DEMO0001' }, { requiresApproval: false, dailyTransferLimit: 9_000_000_000_000 });
      await m.update(User, { loginId: 'user01' }, { dailyTransferLimit: 9_000_000_000_000 });
    });
    return true;
  },
};

async function serve(kind: ServerKind, dir: string): Promise<void> {
  const reply = (message: unknown) => void process.send!(message);
  process.on('disconnect', () => process.exit(1));
  if (kind === 'https' || kind === 'apollo' || kind === 'graphql-js' || kind === 'apollo-express') {
    process.on('message', () => process.exit(0)); // a baseline only ever hears 'stop'
    const start = {
      https: startBareHttps,
      apollo: startBareApollo,
      'graphql-js': startBareGraphqlJs,
      'apollo-express': startBareApolloOnExpress,
    }[kind];
    return reply({ port: (await start(tlsMaterial(dir))).port });
  }
  if (kind === 'gateway-unbatched') loadOneByOne();
  const gateway = await Gateway.start({ config: benchConfig(dir, true), logger: createLogger('info') });
  process.on('message', async (message: 'stop' | { command: Command; arg: number }) => {
    if (message === 'stop') {
      await gateway.stop();
      process.exit(0);
    }
    reply({ result: await commands[message.command](gateway, message.arg) });
  });
  reply({ port: gateway.apiPort });
}

serve(process.argv[2] as ServerKind, process.argv[3]).catch((error) => {
  console.error(error);
  process.exit(1);
});
