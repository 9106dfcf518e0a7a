// What a case hands back, and the run's report: the console table of ratios, each case's own
// lines, and bench/results/<date>-<engine>.json (one shape whichever cases ran; a section is
// absent when its case did not run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Baselines, BenchRun } from './bench-run';
import { CONNECTIONS, PASSWORD_CONNECTIONS, SECONDS, type Result } from './load';

/** The JSON file's sections other than `results`, each written by one case. */
export interface Sections {
  storm: unknown;
  handshakes: unknown;
  resumption: unknown;
  lists: unknown;
  listsUnbatched: unknown;
  worst: unknown;
  statementDownload: unknown;
  cluster: unknown;
  bulk: unknown;
}

/**
 * A row of the table: a measurement and, when it is not whoami, bare Apollo and bare graphql-js
 * answering the same query (its × apollo and × graphql-js).
 */
export type Row = Result & { versus?: Result; versusGraphqlJs?: Result };

export interface CaseOutcome {
  /** Rows of the table of ratios (× the bare https server, × bare Apollo). */
  rows?: Row[];
  sections?: Partial<Sections>;
  /** What the case prints under the table. */
  text?: string;
}

export interface BenchCase {
  /** Its name for `npm run bench -- --case <name>`. */
  name: string;
  about: string;
  /** Whether its rows are read as ratios to the baselines (measured first when so). */
  table: boolean;
  run(bench: BenchRun): Promise<CaseOutcome>;
}

/** × bare Apollo: against the same query on bare Apollo when it was measured, else against its whoami. */
const toApollo = (r: Row, base: Baselines) => r.perSecond / (r.versus ?? base.apollo).perSecond;
/** × bare graphql-js, likewise. */
const toGraphqlJs = (r: Row, base: Baselines) => r.perSecond / (r.versusGraphqlJs ?? base.graphqlJs).perSecond;

const row = (r: Row, base: Baselines | null) =>
  `${r.name.padEnd(36)} ${r.perSecond.toFixed(0).padStart(7)}   ${base ? (r.perSecond / base.https.perSecond).toFixed(3).padStart(7) : '      -'}   ${base ? toApollo(r, base).toFixed(3).padStart(8) : '       -'}   ${base ? toGraphqlJs(r, base).toFixed(3).padStart(12) : '           -'}   ${r.p50.toFixed(1).padStart(6)}   ${r.p99.toFixed(1).padStart(6)}   ${String(r.errors).padStart(6)}`;

/**
 * Prints the run and writes its JSON file, the rows in the order their cases ran: a full run's
 * is <date>-<engine>.json, a run of some cases adds their names, so as not to replace a full one.
 */
export function report(
  bench: BenchRun,
  base: Baselines | null,
  outcomes: CaseOutcome[],
  someCases: string[] | null,
): { file: string; errors: boolean } {
  const rows: Row[] = [...(base ? [base.https, base.apollo, base.graphqlJs] : []), ...outcomes.flatMap((o) => o.rows ?? [])];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, ${bench.kind}`;
  const loadAverage = { atStart: bench.loadAtStart, atEnd: os.loadavg()[0] };
  console.log(
    `\nCorporate Internet Banking Gateway benchmark — ${SECONDS}s per scenario, ${CONNECTIONS} keep-alive connections (login and transfer: ${PASSWORD_CONNECTIONS}), ${machine}` +
      `\n${bench.pinned ? 'servers on CPU 0, load generator on CPU 1' : 'not pinned to CPUs (no taskset or one CPU): ratios are rougher'}` +
      (base ? `; every server negotiates ${base.tls}; baselines and whoami: the median of ${base.rounds} interleaved rounds` : '') +
      `\nload average (1 min) ${loadAverage.atStart.toFixed(1)} at the start, ${loadAverage.atEnd.toFixed(1)} at the end` +
      (Math.max(loadAverage.atStart, loadAverage.atEnd) > os.cpus().length
        ? ': other work shared the CPUs, the ratios are rougher\n'
        : '\n'),
  );
  if (rows.length) {
    console.log('scenario                              req/s   × https   × apollo   × graphql-js   p50 ms   p99 ms   errors');
    for (const r of rows) console.log(row(r, base));
    if (base) console.log(`${row(base.apolloExpress, base)}   (the former × apollo baseline, to compare older figures)`);
  }
  for (const outcome of outcomes) if (outcome.text) console.log(`\n${outcome.text}`);

  const resultsDir = path.join(process.cwd(), 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(
    resultsDir,
    `${new Date().toISOString().slice(0, 10)}-${bench.kind}${someCases ? `-${someCases.join('+')}` : ''}.json`,
  );
  const results = Object.fromEntries(
    [...rows, ...(base ? [base.apolloExpress] : [])].map(({ versus, versusGraphqlJs, ...r }: Row) => [
      r.name,
      {
        ...r,
        ...(base
          ? {
              toHttps: r.perSecond / base.https.perSecond,
              toApollo: toApollo({ ...r, versus }, base),
              toGraphqlJs: toGraphqlJs({ ...r, versusGraphqlJs }, base),
            }
          : {}),
        ...(versus ? { apolloBaseline: versus.name } : {}),
        ...(versusGraphqlJs ? { graphqlJsBaseline: versusGraphqlJs.name } : {}),
      },
    ]),
  );
  const sections = Object.assign({}, ...outcomes.map((o) => o.sections ?? {}));
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        pinned: bench.pinned,
        loadAverage,
        seconds: SECONDS,
        connections: CONNECTIONS,
        ...(base && {
          baselines: {
            https: base.https.name,
            apollo: base.apollo.name,
            graphqlJs: base.graphqlJs.name,
            reference: base.apolloExpress.name,
            tls: base.tls,
            rounds: base.rounds,
          },
        }),
        results,
        ...sections,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
  return { file, errors: rows.some((r) => r.errors > 0) };
}
