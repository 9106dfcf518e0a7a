// The bench's cases in the order a full run takes them (later ones find the data earlier ones
// made, and make what they need themselves when run alone), and the choice of them on the
// command line: `npm run bench -- --case login-storm` (repeatable, or comma-separated).
import type { BenchCase } from '../harness/report';
import { bulkTransferCase } from './bulk-transfer';
import { dataScale } from './data-scale';
import { listsCase } from './lists';
import { loginStormCase } from './login-storm';
import { loginTransfer } from './login-transfer';
import { statementDownloadCase } from './statement-download';
import { tlsHandshakes } from './tls-handshakes';
import { tlsResumption } from './tls-resumption';
import { wholeRequests } from './whole-requests';
import { workersCase } from './workers';
import { worstRequestsCase } from './worst-requests';

export const ALL_CASES: readonly BenchCase[] = [
  wholeRequests,
  tlsHandshakes,
  dataScale,
  loginTransfer,
  loginStormCase,
  tlsResumption,
  listsCase,
  bulkTransferCase,
  worstRequestsCase,
  statementDownloadCase,
  workersCase,
];

/** A command line the bench cannot run: the message says what it accepts. */
export class BenchUsageError extends Error {}

export const usage = (cases: readonly BenchCase[] = ALL_CASES): string =>
  'npm run bench [-- --case <name>[,<name>…]]   (all cases when none is named)\n' +
  cases.map((c) => `  ${c.name.padEnd(16)} ${c.about}`).join('\n');

/** The cases the arguments name, in the run's own order; all of them when none is named. */
export function selectCases(args: readonly string[], cases: readonly BenchCase[] = ALL_CASES): BenchCase[] {
  const named: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = arg === '--case' ? args[++i] : arg.startsWith('--case=') ? arg.slice('--case='.length) : null;
    if (value === null) throw new BenchUsageError(`unknown argument ${JSON.stringify(arg)}\n${usage(cases)}`);
    if (!value) throw new BenchUsageError(`--case needs a name\n${usage(cases)}`);
    named.push(...value.split(',').map((name) => name.trim()));
  }
  const unknown = named.filter((name) => !cases.some((c) => c.name === name));
  if (unknown.length) throw new BenchUsageError(`no such case: ${unknown.join(', ')}\n${usage(cases)}`);
  return named.length ? cases.filter((c) => named.includes(c.name)) : [...cases];
}
