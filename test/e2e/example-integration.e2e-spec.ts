import { GatewayClient } from '../../examples/erp-client/gateway-client';
import { runExample } from '../../examples/erp-client/run';
import { atBusinessMorning, bulkLines, monthDay, zenginFile } from '../helpers/banking';
import { TestGateway } from '../helpers/gateway';

/**
 * The example integration in examples/erp-client, run as an ERP would run it against a real
 * gateway: mutual TLS with user01's certificate, the PIN, a month's statement, a Zengin file
 * submitted and retried with its idempotency key, and the bulk transfer polled by id.
 */
describe('the example integration (examples/erp-client)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('successful: logs in, pages the statement, submits a Zengin file once though it sends it twice, reads its status and its result file', async () => {
    const identity = gw.demoIdentity('user01');
    const log: string[] = [];
    const today = atBusinessMorning(gw);
    const file = zenginFile(
      bulkLines(25, (line) => 1000 + line),
      monthDay(today),
    );
    const result = await runExample(
      { origin: gw.apiOrigin, caPem: gw.caPem, servername: 'localhost', ...identity, log: (line) => log.push(line) },
      {
        pin: gw.credentials('user01').loginPassword,
        confirmationPassword: gw.credentials('user01').confirmationPassword,
        accountId: 1,
        file,
        from: '2000-01-01',
        to: today,
      },
    );
    expect(result.statementLines).toBeGreaterThan(0);
    expect(result.bulkTransfer).toMatchObject({ lineCount: 25, totalAmount: 25 * 1000 + (25 * 26) / 2, status: 'PENDING_APPROVAL' });
    expect(result.retriedSameTransfer).toBe(true);
    expect(result.finalStatus).toBe('PENDING_APPROVAL');
    expect(result.resultFile).toEqual({ fileName: `bulk-transfer-${result.bulkTransfer.id}-pending_approval.csv`, rows: 25 });
    const bulks = await gw.gateway.services.db.writableManager.query('SELECT COUNT(*) AS n FROM bulk_transfers');
    expect(Number(bulks[0].n)).toBe(1);
  });

  it('successful: backs off as RATE_LIMITED asks (retryAfterSeconds) and then gets through', async () => {
    const log: string[] = [];
    const clients = Array.from(
      { length: 10 },
      () =>
        new GatewayClient({
          origin: gw.apiOrigin,
          caPem: gw.caPem,
          servername: 'localhost',
          ...gw.demoIdentity('user02'),
          log: (line) => log.push(line),
        }),
    );
    await Promise.all(clients.map((client) => client.call('{ whoami { loginId } }'))); // connections open first
    // Ten logins of one user at once: six are checked, the others are told to come back in a second.
    const results = await Promise.all(clients.map((client) => client.login(gw.credentials('user02').loginPassword)));
    expect(results).toHaveLength(10);
    expect(log.filter((line) => line.startsWith('rate-limited: waiting 1 s')).length).toBeGreaterThan(0);
    await Promise.all(clients.map((client) => client.logout().catch(() => undefined)));
  });
});
