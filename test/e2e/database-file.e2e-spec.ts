import fs from 'node:fs';
import { Contract, ContractStatus } from '../../src/contract/contract.entity';
import { DEMO_CONTRACT } from '../../src/demo/demo-data';
import { LOGIN } from '../helpers/auth';
import { errorCode } from '../helpers/client';
import { testEngine } from '../helpers/database';
import { TestGateway } from '../helpers/gateway';
import type { LogEntry } from '../helpers/gateway-process';
import { capturingLogger, logged } from '../helpers/logs';

const FILE_LOST = /SQLite database file was deleted or replaced/;

/**
 * The SQLite file taken away under a running gateway (deleted, or replaced by another file): the
 * process could go on writing into the unlinked file, and every transfer would vanish at the next
 * start. SQLite only: a MySQL/MariaDB database has no file of ours.
 */
(testEngine === 'sqlite' ? describe : describe.skip)('the SQLite database file taken away under a running gateway', () => {
  const fileOf = (gw: TestGateway) => gw.databaseUrl.slice('sqlite:'.length);

  async function refusesWrites(gw: TestGateway, entries: LogEntry[]) {
    const enroll = gw.enrollClient();
    expect((await enroll.request('/readyz', { method: 'GET' })).status).toBe(503);
    for (let i = 0; i < 3; i++) {
      const login = await gw.asUser('user01').query(LOGIN, { pin: gw.credentials('user01').loginPassword });
      expect({ status: login.status, code: errorCode(login), retryAfter: login.headers['retry-after'] }).toEqual({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        retryAfter: '5',
      });
    }
    expect((await enroll.request('/readyz', { method: 'GET' })).status).toBe(503);
    // Said once, as an error, however many writes it refuses.
    await logged(entries, (e) => FILE_LOST.test(e.msg));
    expect(entries.filter((e) => FILE_LOST.test(e.msg)).map((e) => e.level)).toEqual([50]);
  }

  it('deleted: writes answer 503 SERVICE_UNAVAILABLE, /readyz fails, one error is logged; the next start says the earlier data is gone', async () => {
    const { logger, entries } = capturingLogger();
    const gw = await TestGateway.start({}, { logger });
    try {
      const before = await gw.asUser('user01').query(LOGIN, { pin: gw.credentials('user01').loginPassword });
      expect(before.body.errors).toBeUndefined();

      const file = fileOf(gw);
      for (const name of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(name, { force: true });
      await refusesWrites(gw, entries);

      const next = capturingLogger();
      const restarted = await TestGateway.start(
        { DATABASE_URL: gw.databaseUrl, CERTS_DIR: gw.config.pki.certsDir },
        { logger: next.logger },
      );
      try {
        const warning = await logged(next.entries, (e) => /the earlier database and everything in it is gone/.test(e.msg));
        expect(warning.level).toBe(40);
      } finally {
        await restarted.stop(); // drops only the database it made for itself, unused here
      }
    } finally {
      await gw.stop();
    }
  });

  it('replaced by another file: writes answer 503 SERVICE_UNAVAILABLE, /readyz fails, one error is logged', async () => {
    const { logger, entries } = capturingLogger();
    const gw = await TestGateway.start({}, { logger });
    try {
      const file = fileOf(gw);
      fs.copyFileSync(file, `${file}.copy`);
      fs.renameSync(`${file}.copy`, file);
      await refusesWrites(gw, entries);
    } finally {
      await gw.stop();
    }
  });
});

describe('demo data', () => {
  it('is never created in a database that holds other contracts', async () => {
    const bank = await TestGateway.start({}, { seedDemo: false });
    try {
      await bank.gateway.services.db.transaction((m) =>
        m.insert(Contract, {
          code: 'BANK0001',
          name: 'A customer of the bank',
          status: ContractStatus.ACTIVE,
          statusChangedAt: null,
          ipAllowList: '',
          dailyTransferLimit: 1_000_000,
          requiresApproval: true,
          createdAt: new Date(),
        }),
      );
      const { logger, entries } = capturingLogger();
      const development = await TestGateway.start({ DATABASE_URL: bank.databaseUrl, CERTS_DIR: bank.config.pki.certsDir }, { logger });
      try {
        expect(development.gateway.demoCredentials).toBeNull();
        expect(await bank.gateway.services.db.writableManager.countBy(Contract, { code: DEMO_CONTRACT.code })).toBe(0);
        expect(entries.some((e) => e.level === 40 && /no demo data is created/.test(e.msg))).toBe(true);
      } finally {
        await development.stop();
      }
    } finally {
      await bank.stop();
    }
  });
});
