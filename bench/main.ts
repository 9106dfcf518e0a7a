// npm run bench — throughput and latency of the gateway's hot paths, each as a ratio against
// baselines measured in the same run (absolute numbers depend on the machine; ratios travel).
// Every server runs in a child process pinned to CPU 0, the load generator in this process on
// CPU 1 (taskset), so neither steals the other's core. The cases are in cases/ (one file each,
// `npm run bench -- --case <name>` runs some of them), what they share in harness/; results go
// to bench/results/<date>-<engine>.json as well as to the console.
import 'reflect-metadata';
import type { Baselines } from './harness/bench-run';
import { BenchRun } from './harness/bench-run';
import { report, type CaseOutcome } from './harness/report';
import { ALL_CASES, BenchUsageError, selectCases, usage } from './cases';

async function main(args: string[]): Promise<void> {
  if (args.includes('--list') || args.includes('--help')) return void console.log(usage());
  const cases = selectCases(args);
  const bench = await BenchRun.prepare();
  try {
    // The denominators first, on a quiet machine, when any chosen case is read as a ratio.
    const base: Baselines | null = cases.some((c) => c.table) ? await bench.baselines() : null;
    const outcomes: CaseOutcome[] = [];
    for (const benchCase of cases) {
      console.error(`bench: ${benchCase.name}…`);
      outcomes.push(await benchCase.run(bench));
    }
    await bench.stopGateway();
    const some = cases.length < ALL_CASES.length ? cases.map((c) => c.name) : null;
    if (report(bench, base, outcomes, some).errors) process.exitCode = 1;
  } finally {
    await bench.close();
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof BenchUsageError ? error.message : error);
  process.exit(error instanceof BenchUsageError ? 2 : 1);
});
