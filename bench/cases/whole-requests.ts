// Whole requests on keep-alive connections, as ratios to bare Apollo (and bare graphql-js) answering the same query
// with constant resolvers: whoami (the certificate's identity read from the database), me (+ the
// PIN session), accounts (+ a permission and a read) and a 100-row transfers page (+ maker,
// approver and account through the DataLoaders). Issue 22's targets are printed with them.
import { median, ROUNDS } from '../harness/bench-run';
import { ACCOUNTS, load, login, ME, type Result } from '../harness/load';
import type { BenchCase, Row } from '../harness/report';
import { ServerProcess } from '../harness/servers';
import { ensureTransfers, listQuery } from './lists';

/** What each request must reach, × bare Apollo answering the same query (issue 22). */
const TARGET = { whoami: 0.8, whoamiP99: 1.5, others: 0.6 };

const QUERIES = [
  { name: 'me (identity + session)', body: ME },
  { name: 'accounts (+ permission, read)', body: ACCOUNTS },
  { name: 'transfers, 100 rows (+ 3 relations)', body: listQuery(100) },
];

export const wholeRequests: BenchCase = {
  name: 'requests',
  about: 'whoami, me, accounts and a 100-row transfers page on 10 keep-alive connections, × bare Apollo answering the same query',
  table: true,
  async run(bench) {
    // whoami is measured in the baselines' rounds, interleaved with them.
    const base = await bench.baselines();
    const whoami: Row = { ...(await bench.whoamiAlone()), versus: base.apollo };
    await ensureTransfers(bench);
    const gateway = await bench.gateway();
    const headers = { authorization: `Bearer ${await login(gateway.origin, bench.tls, bench.credentials('user01').loginPassword)}` };
    // Each query on bare Apollo, bare graphql-js and the gateway, in interleaved rounds (each idle while another runs), the median of each.
    const apollo = await ServerProcess.start('apollo', bench.dir);
    const graphqlJs = await ServerProcess.start('graphql-js', bench.dir);
    const rounds = QUERIES.map(() => ({ apollo: [] as Result[], graphqlJs: [] as Result[], gateway: [] as Result[] }));
    try {
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, query] of QUERIES.entries()) {
          const name = query.name.split(' (')[0];
          rounds[i].apollo.push(await load(`${name}, bare Apollo`, apollo.origin, bench.tls, query.body));
          rounds[i].graphqlJs.push(await load(`${name}, bare graphql-js`, graphqlJs.origin, bench.tls, query.body));
          rounds[i].gateway.push(await load(query.name, gateway.origin, bench.tls, query.body, headers));
        }
      }
    } finally {
      await apollo.stop();
      await graphqlJs.stop();
    }
    const triples = rounds.map((r) => ({ apollo: median(r.apollo), graphqlJs: median(r.graphqlJs), gateway: median(r.gateway) }));
    const rows: Row[] = [
      whoami,
      ...triples.flatMap(({ apollo, graphqlJs, gateway }) => [
        { ...apollo, versus: apollo, versusGraphqlJs: graphqlJs },
        { ...graphqlJs, versus: apollo, versusGraphqlJs: graphqlJs },
        { ...gateway, versus: apollo, versusGraphqlJs: graphqlJs },
      ]),
    ];
    const meets = (ratio: number, target: number, atMost = false) => ((atMost ? ratio <= target : ratio >= target) ? 'met' : 'MISSED');
    const throughput = whoami.perSecond / base.apollo.perSecond;
    const p99 = whoami.p99 / base.apollo.p99;
    const strongest = (ratio: number) => `${ratio.toFixed(2)}× bare graphql-js`;
    return {
      rows,
      text:
        `targets (issue 22), × bare Apollo answering the same query, served as the gateway serves it:` +
        `\n  whoami ${throughput.toFixed(2)}× (≥ ${TARGET.whoami}×: ${meets(throughput, TARGET.whoami)}), p99 ${whoami.p99.toFixed(1)} ms = ${p99.toFixed(2)}× the baseline's ${base.apollo.p99.toFixed(1)} ms (≤ ${TARGET.whoamiP99}×: ${meets(p99, TARGET.whoamiP99, true)}); ${strongest(whoami.perSecond / base.graphqlJs.perSecond)}` +
        triples
          .map(({ apollo, graphqlJs, gateway }) => {
            const ratio = gateway.perSecond / apollo.perSecond;
            return `\n  ${gateway.name.padEnd(36)} ${ratio.toFixed(2)}× (≥ ${TARGET.others}×: ${meets(ratio, TARGET.others)}), p99 ${gateway.p99.toFixed(1)} ms vs ${apollo.p99.toFixed(1)} ms; ${strongest(gateway.perSecond / graphqlJs.perSecond)}`;
          })
          .join(''),
    };
  },
};
