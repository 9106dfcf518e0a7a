// The walkthrough an integration starts from: log in, read the month's statement, submit the
// accounting system's Zengin 総合振込 file (retried safely with its idempotency key), poll its
// status, log out. Usage (see docs/integration.md, "Transfers for integrations"):
//   node dist/examples/erp-client/run.js --origin https://localhost:8443 --ca certs/ca.pem \
//     --cert certs/demo/user01.crt.pem --key certs/demo/user01.key.pem --account 1 --file payroll.txt
// with the PIN and the confirmation password in GATEWAY_PIN and GATEWAY_CONFIRMATION_PASSWORD.
import fs from 'node:fs';
import { GatewayClient, type GatewayClientOptions } from './gateway-client';

export interface ExampleRun {
  statementLines: number;
  bulkTransfer: { id: number; status: string; lineCount: number; totalAmount: number };
  retriedSameTransfer: boolean;
  finalStatus: string;
}

export async function runExample(
  client: GatewayClientOptions,
  input: { pin: string; confirmationPassword: string; accountId: number; file: Buffer; from: string; to: string },
): Promise<ExampleRun> {
  const gateway = new GatewayClient(client);
  try {
    await gateway.login(input.pin);
    const statement = await gateway.statement(input.accountId, input.from, input.to);
    const submitted = await gateway.importZenginFile(input.file, input.accountId, input.confirmationPassword);
    // As after a connection reset once the request had left: send it again with the same key.
    const retried = await gateway.importZenginFile(input.file, input.accountId, input.confirmationPassword, submitted.idempotencyKey);
    const final = await gateway.waitForBulkTransfer(submitted.id, [], { attempts: 1 });
    return {
      statementLines: statement.length,
      bulkTransfer: { id: submitted.id, status: submitted.status, lineCount: submitted.lineCount, totalAmount: submitted.totalAmount },
      retriedSameTransfer: retried.id === submitted.id,
      finalStatus: final.status,
    };
  } finally {
    await gateway.logout();
  }
}

function argument(name: string): string {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0 || !process.argv[index + 1]) throw new Error(`--${name} is required`);
  return process.argv[index + 1];
}

if (require.main === module) {
  const today = new Date().toISOString().slice(0, 10);
  runExample(
    {
      origin: argument('origin'),
      caPem: fs.readFileSync(argument('ca'), 'utf8'),
      certificatePem: fs.readFileSync(argument('cert'), 'utf8'),
      privateKeyPem: fs.readFileSync(argument('key'), 'utf8'),
      log: (line) => console.error(line),
    },
    {
      pin: process.env.GATEWAY_PIN ?? '',
      confirmationPassword: process.env.GATEWAY_CONFIRMATION_PASSWORD ?? '',
      accountId: Number(argument('account')),
      file: fs.readFileSync(argument('file')),
      from: `${today.slice(0, 8)}01`,
      to: today,
    },
  ).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
