// TLS 1.3 resumption: whoami on a new connection each time, resuming the client's previous
// session (an agent caching session tickets; the identity must hold on a resumed session too),
// and the gateway's CPU per connection against a full handshake's.
import { loadNewConnections, NEW_CONNECTION_CONCURRENCY, type NewConnectionResult } from '../harness/load';
import type { BenchCase } from '../harness/report';
import { ecdsaClient } from './login-storm';
import { fullHandshakes, line } from './tls-handshakes';

export const tlsResumption: BenchCase = {
  name: 'resumption',
  about: "TLS 1.3 resumption: a new connection each time resuming the client's previous session, gateway CPU ÷ a full handshake's",
  table: false,
  async run(bench) {
    const full = await fullHandshakes(bench);
    const gateway = await bench.gateway();
    const ecdsa = await ecdsaClient(bench);
    const resumption = [
      await loadNewConnections('whoami, RSA-2048, resumed each', gateway.origin, bench.tls, {
        loginId: 'user01',
        resume: true,
        server: gateway,
      }),
      await loadNewConnections('whoami, ECDSA P-256, resumed each', gateway.origin, ecdsa, {
        loginId: 'storm0',
        resume: true,
        server: gateway,
      }),
    ];
    const share = (resumed: NewConnectionResult, handshake: NewConnectionResult) =>
      `${resumed.cpuMsPerConnection!.toFixed(2)} ÷ ${handshake.cpuMsPerConnection!.toFixed(2)} ms = ${(resumed.cpuMsPerConnection! / handshake.cpuMsPerConnection!).toFixed(2)}`;
    return {
      sections: { resumption },
      text:
        `TLS 1.3 resumption, ${NEW_CONNECTION_CONCURRENCY} clients at once:\n` +
        resumption.map((r) => `${line(r)}   resumed ${(100 * r.resumedShare).toFixed(0)}%`).join('\n') +
        `\n  gateway CPU per connection (handshake + whoami), resumed ÷ full: RSA-2048 ${share(resumption[0], full[1])}, ECDSA P-256 ${share(resumption[1], full[3])}`,
    };
  },
};
