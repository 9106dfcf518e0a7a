// npm run bench:profile — where the gateway's CPU goes on its hot requests: user01's keep-alive
// whoami, its me and accounts (with a PIN session), and a 100-row transfers page with maker, approver and
// account (user02, the approver). With each profile, the garbage collections that ran.
// Each runs alone on a gateway pinned to CPU 0, the load on CPU 1, once to warm up and once under
// V8's CPU profiler (what `node --cpu-prof` runs, here around the measurement only); the summary
// lists the functions with the most self time and the share of each package. BENCH_DATABASE_URL,
// BENCH_SECONDS and BENCH_WARMUP_SECONDS as for `npm run bench`; the profiles are written to
// BENCH_CPU_PROFILE (a temporary folder by default) for Chrome's DevTools.
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTransfers, listQuery } from './cases/lists';
import { BenchRun } from './harness/bench-run';
import { ACCOUNTS, load, login, ME, WHOAMI, type Result } from './harness/load';
import type { GcTally } from './harness/serve';
import { ServerProcess } from './harness/servers';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package a frame belongs to: node_modules/<name>, our own src/, or node's internals. */
function packageOf(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scopeOrName, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
  }
  if (url.includes('/dist/src/')) return 'gateway (src/)';
  if (url.startsWith('node:') || url === '') return 'node (internals, GC, native)';
  return url;
}

/** Self time per function and per package, in shares of the profile's samples. */
export function summarise(profile: CpuProfile, top = 15): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
    const pkg = packageOf(frame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + dt);
  });
  const lines = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, t]) => `  ${((100 * t) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return `top self time:\n${lines(self, top)}\nby package:\n${lines(packages, 12)}`;
}

/** `measure` on the gateway twice, the second time profiled: its figures and the profile's summary. */
async function profiled(bench: BenchRun, dir: string, name: string, measure: (gateway: ServerProcess) => Promise<Result>): Promise<string> {
  const gateway = await bench.gateway();
  await measure(gateway);
  await gateway.call('profileStart');
  const result = await measure(gateway);
  const { profile, gc } = await gateway.call<{ profile: CpuProfile; gc: GcTally }>('profileStop');
  await bench.stopGateway();
  const file = path.join(dir, `${name}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  return (
    `== ${result.name}: ${result.perSecond.toFixed(0)} req/s, p99 ${result.p99.toFixed(1)} ms, ${result.errors} errors (profiled) ==\n` +
    `${summarise(profile)}\n${collections(gc)}\nprofile: ${file}`
  );
}

/**
 * How often V8 collected and for how long: scavenges of a few milliseconds each are normal; tens of
 * milliseconds mean objects outlive their request (what the fifth pass found in `me`).
 */
function collections(gc: GcTally): string {
  const kind = (name: string, { count, ms }: { count: number; ms: number }) =>
    `${count} ${name} (${ms.toFixed(0)} ms${count ? `, ${(ms / count).toFixed(1)} ms each` : ''})`;
  return (
    `garbage collection: ${kind('scavenges', gc.minor)}, ${kind('full', gc.major)}, ${kind('incremental steps', gc.incremental)}; ` +
    `heap ${gc.heapUsedMiB.toFixed(0)} MiB after`
  );
}

async function main(): Promise<void> {
  const dir = process.env.BENCH_CPU_PROFILE ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-profile-'));
  fs.mkdirSync(dir, { recursive: true });
  const bench = await BenchRun.prepare();
  try {
    await ensureTransfers(bench);
    await bench.stopGateway();
    console.log(await profiled(bench, dir, 'whoami', (g) => load('whoami', g.origin, bench.tls, WHOAMI)));
    console.log(
      await profiled(bench, dir, 'me', async (g) =>
        load('me', g.origin, bench.tls, ME, {
          authorization: `Bearer ${await login(g.origin, bench.tls, bench.credentials('user01').loginPassword)}`,
        }),
      ),
    );
    console.log(
      await profiled(bench, dir, 'accounts', async (g) =>
        load('accounts', g.origin, bench.tls, ACCOUNTS, {
          authorization: `Bearer ${await login(g.origin, bench.tls, bench.credentials('user01').loginPassword)}`,
        }),
      ),
    );
    const approver = bench.identity('user02');
    const pin = bench.credentials('user02').loginPassword;
    console.log(
      await profiled(bench, dir, 'transfers-100', async (g) =>
        load('transfers, 100 rows', g.origin, approver, listQuery(100), {
          authorization: `Bearer ${await login(g.origin, approver, pin)}`,
        }),
      ),
    );
  } finally {
    await bench.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
