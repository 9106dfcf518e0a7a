// A statement of BENCH_STATEMENT_LINES (100,000) lines downloaded by user02, as CSV (Shift_JIS) and
// as the Zengin 入出金取引明細 file, repeated on one connection while user01 asks whoami on ten:
// user01's p99 against whoami alone (issue 17: within 2×). The file is written a page at a time,
// with other requests served between pages (db/paged-read.ts).
import { Between } from 'typeorm';
import { Account } from '../../src/banking/accounts/account.entity';
import { StatementDirection, StatementLine } from '../../src/banking/accounts/statement-line.entity';
import { Contract } from '../../src/contract/contract.entity';
import type { Gateway } from '../../src/gateway';
import { CONNECTIONS, login } from '../harness/load';
import type { BenchCase } from '../harness/report';
import { worstRequest } from '../harness/beside';

const STATEMENT_LINES = Number(process.env.BENCH_STATEMENT_LINES ?? 100_000);

/** The statement's period: December 2030, after anything the demo data or the run books. */
const PERIOD = { from: '2030-12-01', to: '2030-12-31' };

export const statementDownloadCase: BenchCase = {
  name: 'statement-download',
  about: `a ${STATEMENT_LINES.toLocaleString('en')}-line statement (BENCH_STATEMENT_LINES) downloaded as CSV and Zengin, with another user's whoami p99 meanwhile`,
  table: false,
  async run(bench) {
    const whoamiAlone = await bench.whoamiAlone();
    const gateway = await bench.gateway();
    const accountId = await gateway.call<number>('statementLines', STATEMENT_LINES);
    const tls = bench.identity('user02');
    const authorization = `Bearer ${await login(gateway.origin, tls, bench.credentials('user02').loginPassword)}`;
    const path = `/downloads/statement?accountId=${accountId}&from=${PERIOD.from}&to=${PERIOD.to}`;
    const runs = [];
    for (const [format, query] of [
      ['CSV (Shift_JIS)', ''],
      ['Zengin', '&format=zengin'],
    ]) {
      const name = `statement download, ${STATEMENT_LINES.toLocaleString('en')} lines, ${format}`;
      const run = await worstRequest(gateway.origin, bench.tls, { name, tls, authorization, download: path + query }, 3);
      runs.push({ ...run, p99Ratio: run.whoamiDuring.p99 / whoamiAlone.p99 });
    }
    return {
      sections: { statementDownload: { whoamiAlone, runs } },
      text:
        `statement downloads, each repeated on one connection while user01's whoami runs on ${CONNECTIONS} (whoami alone: p99 ${whoamiAlone.p99.toFixed(1)} ms, ${whoamiAlone.perSecond.toFixed(0)} req/s; target: p99 within 2×):` +
        runs
          .map(
            (r) =>
              `\n  ${r.name.padEnd(52)} alone ${r.aloneMs.mean.toFixed(0)} ms (max ${r.aloneMs.max.toFixed(0)}); whoami meanwhile p99 ${r.whoamiDuring.p99.toFixed(1)} ms (${r.p99Ratio.toFixed(2)}×), ${r.whoamiDuring.perSecond.toFixed(0)} req/s`,
          )
          .join(''),
    };
  },
};

/**
 * In the gateway's process: gives the demo contract's first account `total` statement lines in
 * December 2030 (balances chained as the bank books them), in multi-row INSERTs. Returns its id.
 */
export async function growStatement(gateway: Gateway, total: number): Promise<number> {
  const { db } = gateway.services;
  const contract = await db.writableManager.findOneByOrFail(Contract, { code: 'DEMO0001' });
  const account = await db.writableManager.findOneOrFail(Account, { where: { contractId: contract.id }, order: { id: 'ASC' } });
  let balance = account.balance;
  const days = 31;
  for (
    let have = await db.writableManager.countBy(StatementLine, { accountId: account.id, businessDate: Between(PERIOD.from, PERIOD.to) });
    have < total;
  ) {
    const batch = Array.from({ length: Math.min(1_000, total - have) }, (_, i) => {
      const n = have + i;
      const credit = n % 3 === 0;
      balance += credit ? 2_000 : -1_000;
      const day = `2030-12-${String(1 + Math.floor((n * days) / total)).padStart(2, '0')}`;
      return {
        accountId: account.id,
        occurredAt: new Date(`${day}T01:00:00Z`),
        businessDate: day,
        direction: credit ? StatementDirection.CREDIT : StatementDirection.DEBIT,
        amount: credit ? 2_000 : 1_000,
        balanceAfter: balance,
        description: credit ? `振込 カ)トリヒキサキ ${n}` : `総合振込 テスト ${n}`,
        transferId: null,
      };
    });
    await db.writableManager.createQueryBuilder().insert().into(StatementLine).values(batch).updateEntity(false).execute();
    have += batch.length;
  }
  await db.writableManager.update(Account, { id: account.id }, { balance });
  return account.id;
}
