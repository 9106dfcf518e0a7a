// WORKERS=2 against one process (npm start's entry point), both free to use both cores (and
// sharing them with the load generator): throughput, and where the cores went.
import { CONNECTIONS, load, WHOAMI, type Result } from '../harness/load';
import type { BenchCase } from '../harness/report';
import { pin, processTreeCpuMs, startMain } from '../harness/servers';

interface ClusterCpu {
  gatewayCores: number;
  loadCores: number;
  requestsPerGatewayCpuSecond: number;
}

export const workersCase: BenchCase = {
  name: 'workers',
  about: 'whoami from npm start with WORKERS=1 and WORKERS=2, unpinned, and the cores each side used',
  table: true,
  async run(bench) {
    // Nothing else of the bench's runs meanwhile.
    await bench.stopGateway();
    if (bench.pinned) pin(process.pid, -1);
    const rows: Result[] = [];
    const cluster: ClusterCpu[] = [];
    try {
      for (const workers of [1, 2]) {
        const server = await startMain(bench.dir, workers);
        try {
          const gatewayBefore = processTreeCpuMs(server.pid);
          const loadBefore = process.cpuUsage();
          const started = performance.now();
          // Twice the connections of the other cases, for both: enough requests in flight to keep two workers busy.
          const result = await load(`whoami, WORKERS=${workers}, unpinned`, server.origin, bench.tls, WHOAMI, {}, 2 * CONNECTIONS);
          const elapsedMs = performance.now() - started;
          const gatewayMs = processTreeCpuMs(server.pid) - gatewayBefore;
          const loadUsage = process.cpuUsage(loadBefore);
          rows.push(result);
          // Over the warm-up and the counted seconds alike: the share of each, and requests per gateway CPU-second.
          const answered = (result.perSecond * elapsedMs) / 1000;
          cluster.push({
            gatewayCores: gatewayMs / elapsedMs,
            loadCores: (loadUsage.user + loadUsage.system) / 1000 / elapsedMs,
            requestsPerGatewayCpuSecond: answered / (gatewayMs / 1000),
          });
        } finally {
          await server.stop();
        }
      }
    } finally {
      if (bench.pinned) pin(process.pid, 1);
    }
    const [oneProcess, twoWorkers] = rows;
    return {
      rows,
      sections: { cluster },
      text:
        `WORKERS=2 ÷ one process (both unpinned) = ${(twoWorkers.perSecond / oneProcess.perSecond).toFixed(2)}` +
        cluster
          .map(
            (c, i) =>
              `\n  WORKERS=${i + 1}: the gateway used ${c.gatewayCores.toFixed(2)} cores, the load generator ${c.loadCores.toFixed(2)}; ${c.requestsPerGatewayCpuSecond.toFixed(0)} requests per gateway CPU-second`,
          )
          .join(''),
    };
  },
};
