// npm run operator:create -- --login-id <id> [--name "<display name>"]
// Creates a bank operator (the first one in production, where no demo data exists) and prints
// the temporary passwords and the enrollment code, once. Run it on a gateway host: it uses the
// gateway's configuration (DATABASE_URL, CA_* paths) from the environment.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { LOGIN_ID_PATTERN } from '../src/users/user.types';
import { systemClock } from '../src/common/clock';
import { DomainError } from '../src/common/domain-error';
import { loadConfig } from '../src/config';
import { Database } from '../src/db/database';
import { systemContext } from '../src/graphql/context';
import { loadPkiMaterial } from '../src/pki/pki-material';
import { createServices } from '../src/services';

async function main() {
  const { values } = parseArgs({ options: { 'login-id': { type: 'string' }, name: { type: 'string' } } });
  const loginId = values['login-id'];
  if (!loginId || !LOGIN_ID_PATTERN.test(loginId)) {
    console.error('usage: npm run operator:create -- --login-id <4–32 lower-case letters, digits, . _ -> [--name "<display name>"]');
    process.exit(2);
  }
  const config = loadConfig();
  const db = await Database.open(config.database);
  try {
    const services = createServices(config, systemClock, pino({ level: 'silent' }), db, loadPkiMaterial(config, systemClock));
    const { passwords, code } = await services.operator.createOperator(
      systemContext('operator:create', db),
      loginId,
      values.name ?? loginId,
    );
    console.log(`Operator ${loginId} created. Hand these over in person; they are shown only once.
  temporary login password:        ${passwords.loginPassword}
  temporary confirmation password: ${passwords.confirmationPassword}
  enrollment code:                 ${code.code} (valid until ${code.expiresAt.toISOString()})
Acquire the certificate on the operator's PC:
  npm run cert -- request --login-id ${loginId} --code ${code.code} --enroll-url https://<gateway>:${config.enrollPort}
then log in and change both passwords.`);
  } catch (error) {
    console.error(error instanceof DomainError ? error.message : `Failed: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main();
