import type { GatewayConfig } from '../config';
import type { Gateway } from '../gateway';
import { demoPaths } from './demo-data';

/** What `npm start` prints on a development machine: where to go, the demo passwords, one curl. */
export function welcomeBanner(config: GatewayConfig, gateway: Gateway): string {
  const host = config.listenHost === '127.0.0.1' || config.listenHost === '0.0.0.0' ? 'localhost' : config.listenHost;
  const rel = (file: string) => file.replace(process.cwd() + '/', '');
  const user01 = demoPaths(config.pki.certsDir, 'user01');
  const passwords = Object.entries(gateway.demoCredentials ?? {}).map(
    ([id, c]) =>
      `  ${id.padEnd(11)} loginPassword ${c.loginPassword}  confirmationPassword ${c.confirmationPassword}  .p12 ${c.p12Password}`,
  );
  return `
Corporate Internet Banking Gateway (development, demo data)
  Web app (client certificate required): https://${host}:${gateway.apiPort}/   GraphQL: /graphql   GraphiQL: /graphiql
  電子証明書取得 (no client certificate):  https://${host}:${gateway.enrollPort}/
  Bank CA: ${rel(config.pki.caCertPath)}   demo identities: ${rel(user01.certificate.replace(/user01\.crt\.pem$/, ''))}

Demo passwords (development only; also in ${rel(user01.credentials)}):
${passwords.join('\n')}

Try it:
  curl --cacert ${rel(config.pki.caCertPath)} --cert ${rel(user01.certificate)} --key ${rel(user01.privateKey)} \\
    -H 'content-type: application/json' -d '{"query":"{ whoami { loginId } }"}' https://${host}:${gateway.apiPort}/graphql
`;
}
