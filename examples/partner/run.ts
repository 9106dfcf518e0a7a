// The walkthrough a partner (連携先) starts from (docs/partners.md, "Try it"): discovery, a pushed
// authorization request, the customer's consent in their browser, the code exchanged for a token
// bound to the partner's certificate, the month's statement, a transfer waiting for the customer's
// approval, and a refresh. Usage, against `npm start` (the partner registered by the operator):
//   node dist/examples/partner/run.js --origin https://localhost:8443 --ca certs/ca.pem \
//     --cert certs/partners/demo-partner.crt.pem --key certs/partners/demo-partner.key.pem \
//     --client-id <client_id> --redirect-uri https://partner.example/callback
// It prints the URL to open in the customer's browser and waits for the address the browser was
// sent back to (the redirect URI with code, state and iss), pasted on standard input.
import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { PartnerClient, type PartnerClientOptions } from './partner-client';

export interface PartnerExampleRun {
  grantedScope: string;
  accounts: Array<{ id: number; label: string; balance: number }>;
  statementLines: number;
  transfer: { id: number; status: string; amount: number };
  /** The same transfer sent again with its idempotency key: the gateway answers the first one. */
  retriedSameTransfer: boolean;
  /** Accounts read again after the refresh, with the new access token. */
  refreshed: boolean;
}

export interface PartnerExampleInput {
  scopes: string[];
  /** Sends the customer to `url` and resolves with the address their browser came back to. */
  customerConsents: (url: URL) => Promise<URL>;
  from: string;
  to: string;
  transfer: {
    amount: number;
    destinationBankCode: string;
    destinationBranchCode: string;
    destinationAccountType: string;
    destinationAccountNumber: string;
    payeeName: string;
  };
}

export async function runPartnerExample(options: PartnerClientOptions, input: PartnerExampleInput): Promise<PartnerExampleRun> {
  const partner = new PartnerClient(options);
  try {
    const pending = await partner.startAuthorization(input.scopes);
    const callback = await input.customerConsents(pending.url);
    const { scope } = await partner.finishAuthorization(callback, pending);
    const accounts = await partner.accounts();
    if (accounts.length === 0) throw new Error('the consent gives no account');
    const [first] = accounts;
    const statement = await partner.statement(first.id, input.from, input.to);
    const transfer = await partner.createTransfer({ fromAccountId: first.id, ...input.transfer });
    // As after a connection reset once the request had left: the same key again.
    const retried = await partner.createTransfer({ fromAccountId: first.id, ...input.transfer }, transfer.idempotencyKey);
    await partner.refresh();
    const again = await partner.accounts();
    return {
      grantedScope: scope,
      accounts: accounts.map((a) => ({ id: a.id, label: `${a.branchName} ${a.accountType} ${a.accountNumber}`, balance: a.balance })),
      statementLines: statement.length,
      transfer: { id: transfer.id, status: transfer.status, amount: transfer.amount },
      retriedSameTransfer: retried.id === transfer.id,
      refreshed: again.length === accounts.length,
    };
  } finally {
    await partner.close();
  }
}

/** The customer opens the URL; the partner's operator pastes where the browser landed. */
async function consentOnTheCommandLine(url: URL): Promise<URL> {
  console.error(`Open this in the customer's browser (it holds the customer's certificate), within 60 seconds:\n\n  ${url.href}\n`);
  console.error('After the consent the browser goes to the redirect URI. Paste that whole address here:');
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    lines.close();
    return new URL(line.trim());
  }
  throw new Error('no callback address on standard input');
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      origin: { type: 'string', default: 'https://localhost:8443' },
      ca: { type: 'string', default: 'certs/ca.pem' },
      cert: { type: 'string' },
      key: { type: 'string' },
      'client-id': { type: 'string' },
      'redirect-uri': { type: 'string', default: 'https://partner.example/callback' },
      scope: { type: 'string', default: 'account_information payment_initiation' },
      amount: { type: 'string', default: '1000' },
    },
  });
  if (!values.cert || !values.key || !values['client-id']) {
    console.error(
      'usage: node dist/examples/partner/run.js --cert <partner.crt.pem> --key <partner.key.pem> --client-id <client_id>\n' +
        '  [--origin https://localhost:8443] [--ca certs/ca.pem] [--redirect-uri https://partner.example/callback] [--scope "..."] [--amount 1000]',
    );
    process.exit(2);
  }
  const today = new Date().toISOString().slice(0, 10);
  runPartnerExample(
    {
      origin: values.origin!,
      caPem: fs.readFileSync(values.ca!, 'utf8'),
      certificatePem: fs.readFileSync(values.cert, 'utf8'),
      privateKeyPem: fs.readFileSync(values.key, 'utf8'),
      clientId: values['client-id'],
      redirectUri: values['redirect-uri']!,
      log: (line) => console.error(line),
    },
    {
      scopes: values.scope!.split(' '),
      customerConsents: consentOnTheCommandLine,
      from: `${today.slice(0, 8)}01`,
      to: today,
      transfer: {
        amount: Number(values.amount),
        destinationBankCode: '0009',
        destinationBranchCode: '123',
        destinationAccountType: 'ORDINARY',
        destinationAccountNumber: '7654321',
        payeeName: 'ｶ)ﾃﾞﾓ ｼｮｳｼﾞ',
      },
    },
  ).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
