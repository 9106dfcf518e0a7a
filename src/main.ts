import 'reflect-metadata';
import pino from 'pino';
import { ConfigError, loadConfig } from './config';
import { demoPaths } from './demo/demo-data';
import { Gateway } from './gateway';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel });
  const gateway = await Gateway.start({ config, logger });
  logger.info({ apiPort: gateway.apiPort, enrollPort: gateway.enrollPort, database: config.database.kind }, 'gateway started');

  if (gateway.demoCredentials) {
    const host = config.listenHost === '127.0.0.1' || config.listenHost === '0.0.0.0' ? 'localhost' : config.listenHost;
    const rel = (file: string) => file.replace(process.cwd() + '/', '');
    const user01 = demoPaths(config.pki.certsDir, 'user01');
    console.log(`
Corporate Internet Banking Gateway (development, demo data)
  API (client certificate required): https://${host}:${gateway.apiPort}/graphql
  Enrollment (no client certificate): https://${host}:${gateway.enrollPort}/healthz
  Bank CA: ${rel(config.pki.caCertPath)}   demo identities: ${rel(user01.certificate.replace(/user01\.crt\.pem$/, ''))}

Demo passwords (development only; also in ${rel(user01.credentials)}):
${Object.entries(gateway.demoCredentials)
  .map(([id, c]) => `  ${id.padEnd(11)} loginPassword ${c.loginPassword}  confirmationPassword ${c.confirmationPassword}  .p12 ${c.p12Password}`)
  .join('\n')}

Try it:
  curl --cacert ${rel(config.pki.caCertPath)} --cert ${rel(user01.certificate)} --key ${rel(user01.privateKey)} \\
    -H 'content-type: application/json' -d '{"query":"{ whoami { loginId } }"}' https://${host}:${gateway.apiPort}/graphql
`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    gateway.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  console.error(`The gateway could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
