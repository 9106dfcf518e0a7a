// A full TLS handshake for every request (whoami on a new connection each time, 8 clients at
// once), with an RSA-2048 and an ECDSA P-256 client certificate: the gateway against the bare
// https server, and the gateway's CPU per connection (what resumption is held against).
import type { BenchRun } from '../harness/bench-run';
import { loadNewConnections, NEW_CONNECTION_CONCURRENCY, type NewConnectionResult } from '../harness/load';
import type { BenchCase } from '../harness/report';
import { ServerProcess } from '../harness/servers';
import { ecdsaClient } from './login-storm';

/** [https RSA, gateway RSA, https ECDSA, gateway ECDSA], measured once per run. */
export const fullHandshakes = (bench: BenchRun): Promise<NewConnectionResult[]> =>
  bench.once('handshakes', async () => {
    const gateway = await bench.gateway();
    const ecdsa = await ecdsaClient(bench);
    const bareHttps = await ServerProcess.start('https', bench.dir);
    const https = [
      await loadNewConnections('https, RSA-2048, new connection each', bareHttps.origin, bench.tls),
      await loadNewConnections('https, ECDSA P-256, new connection each', bareHttps.origin, ecdsa),
    ];
    await bareHttps.stop();
    const viaGateway = [
      await loadNewConnections('whoami, RSA-2048, new connection each', gateway.origin, bench.tls, { loginId: 'user01', server: gateway }),
      await loadNewConnections('whoami, ECDSA P-256, new connection each', gateway.origin, ecdsa, { loginId: 'storm0', server: gateway }),
    ];
    return [https[0], viaGateway[0], https[1], viaGateway[1]];
  });

/** One line of the console's handshake sections. */
export const line = (r: NewConnectionResult): string =>
  `  ${r.name.padEnd(36)} ${r.perSecond.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   errors ${r.errors}`;

export const tlsHandshakes: BenchCase = {
  name: 'handshakes',
  about: 'a full TLS handshake + whoami per request (RSA-2048 and ECDSA P-256 clients), × the bare https server',
  table: false,
  async run(bench) {
    const handshakes = await fullHandshakes(bench);
    return {
      sections: { handshakes },
      text:
        `full TLS handshake + whoami per request, ${NEW_CONNECTION_CONCURRENCY} clients at once:\n` +
        handshakes.map(line).join('\n') +
        `\n  gateway ÷ bare https: RSA-2048 ${(handshakes[1].perSecond / handshakes[0].perSecond).toFixed(2)}, ECDSA P-256 ${(handshakes[3].perSecond / handshakes[2].perSecond).toFixed(2)}`,
    };
  },
};
