// Whole requests on keep-alive connections, as ratios to the baselines: whoami (the certificate's
// identity read from the database), me (+ the PIN session), accounts (+ a permission and a read).
import { load, login } from '../harness/load';
import type { BenchCase } from '../harness/report';

export const wholeRequests: BenchCase = {
  name: 'requests',
  about: 'whoami, me and accounts on 10 keep-alive connections, × the bare https server and × bare Apollo',
  table: true,
  async run(bench) {
    // whoami is measured in the baselines' rounds, interleaved with them.
    await bench.baselines();
    const whoami = await bench.whoamiAlone();
    const gateway = await bench.gateway();
    const authorization = `Bearer ${await login(gateway.origin, bench.tls, bench.credentials('user01').loginPassword)}`;
    const me = await load('me (identity + session)', gateway.origin, bench.tls, JSON.stringify({ query: '{ me { loginId } }' }), {
      authorization,
    });
    const accounts = await load(
      'accounts (+ permission, read)',
      gateway.origin,
      bench.tls,
      JSON.stringify({ query: '{ accounts { id balance } }' }),
      { authorization },
    );
    return { rows: [whoami, me, accounts] };
  },
};
