import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { systemClock } from '../../src/common/clock';
import { loadConfig, type GatewayConfig } from '../../src/config';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { loadPkiMaterial } from '../../src/pki/pki-material';
import { demoPaths, type DemoCredentials } from '../../src/demo/demo-data';
import { Gateway } from '../../src/gateway';
import { GraphqlClient, type ConnectionOptions, type TlsIdentity } from './client';
import { TestClock } from './clock';
import { createTestDatabase, type TestDatabase } from './database';

/**
 * The fraud controls (holds, the initial period's lower limits) are off in every spec's gateway
 * unless it turns them on: the demo contract is new, its payees are new and its tests make many
 * transfers quickly, so with the production defaults most specs would test the controls by accident.
 * test/e2e/fraud-holds.e2e-spec.ts turns each on.
 */
export const FRAUD_CONTROLS_OFF = {
  NEW_PAYEE_HOLD_HOURS: '0',
  INITIAL_PERIOD_DAYS: '0',
  VELOCITY_WINDOW_MINUTES: '0',
  LIMIT_RAISE_DELAY_HOURS: '0',
};

export type DemoLoginId = 'operator01' | 'admin01' | 'user01' | 'user02';

/**
 * A real gateway on ephemeral ports with its own PKI folder and database, plus ways to call it
 * as each demo identity (asUser('user01')), with any certificate, or with none.
 */
export class TestGateway {
  private readonly clients: GraphqlClient[] = [];
  private readonly cleanups: Array<() => void> = [];

  private constructor(
    readonly gateway: Gateway,
    readonly config: GatewayConfig,
    readonly clock: TestClock,
    readonly dir: string,
    private readonly database: TestDatabase,
  ) {}

  /** `databaseServer`: the MySQL/MariaDB server to create the spec's database on, instead of TEST_DATABASE_URL's. */
  static async start(
    env: Record<string, string> = {},
    options: { seedDemo?: boolean; logger?: Logger; databaseServer?: string } = {},
  ): Promise<TestGateway> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-test-'));
    const database = await createTestDatabase(dir, options.databaseServer);
    const config = loadConfig({
      NODE_ENV: 'test',
      API_PORT: '0',
      ENROLL_PORT: '0',
      METRICS_PORT: '0',
      CERTS_DIR: path.join(dir, 'certs'),
      // Its own archive folder (and audit checkpoints), not the checkout's data/.
      AUDIT_ARCHIVE_DIR: path.join(dir, 'audit-archive'),
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      // Hashing at the requests' own priority: on a machine busy with other work at nice 0, threads at
      // nice 10 get a tenth of a core and every password check slows tenfold. The niceness itself is
      // test/unit/password-hasher.spec.ts's to prove.
      PASSWORD_HASH_NICE: '0',
      // 取引認証 only where a spec asks for it (the passkey specs): every other spec approves without a passkey
      // whatever its amounts, as it did before passkeys (test/browser/passkeys.browser-spec.ts, docs/passkeys.md).
      PASSKEY_APPROVAL_REQUIRED_FROM: 'none',
      // Notices are sent when a test says so (services.noticeSender.sendDue()): a sender polling on
      // its own would add statements to the specs that count them.
      NOTICE_SEND_INTERVAL_SECONDS: '0',
      ...FRAUD_CONTROLS_OFF,
      ...env,
    });
    const clock = new TestClock();
    const gateway = await Gateway.start({ config, clock, seedDemo: options.seedDemo ?? true, logger: options.logger });
    return new TestGateway(gateway, config, clock, dir, database);
  }

  /**
   * NODE_ENV=production, as a bank runs it: the bank's CA and server material exist beforehand at
   * configured paths (in their own folder, removed on stop), and no demo data is created.
   */
  static async startProduction(env: Record<string, string> = {}): Promise<TestGateway> {
    const pkiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-bank-pki-'));
    loadPkiMaterial(loadConfig({ CERTS_DIR: pkiDir }), systemClock);
    const auditKey = path.join(pkiDir, 'audit-chain.key');
    fs.writeFileSync(auditKey, crypto.randomBytes(32).toString('base64'), { mode: 0o600 });
    const gw = await TestGateway.start({
      NODE_ENV: 'production',
      AUDIT_CHAIN_KEY_PATH: auditKey,
      CA_CERT_PATH: path.join(pkiDir, 'ca.pem'),
      CA_KEY_PATH: path.join(pkiDir, 'ca.key.pem'),
      SERVER_CERT_PATH: path.join(pkiDir, 'server.crt.pem'),
      SERVER_KEY_PATH: path.join(pkiDir, 'server.key.pem'),
      ...env,
    });
    gw.cleanups.push(() => fs.rmSync(pkiDir, { recursive: true, force: true }));
    return gw;
  }

  /** The DATABASE_URL this gateway uses, for a second gateway process on the same data. */
  get databaseUrl(): string {
    return this.database.url;
  }

  get caPem(): string {
    return this.gateway.services.pki.caCertificatePem;
  }

  get apiOrigin(): string {
    return `https://localhost:${this.gateway.apiPort}`;
  }

  get enrollOrigin(): string {
    return `https://localhost:${this.gateway.enrollPort}`;
  }

  demoIdentity(loginId: DemoLoginId): TlsIdentity {
    const files = demoPaths(this.config.pki.certsDir, loginId);
    return { certificatePem: fs.readFileSync(files.certificate, 'utf8'), privateKeyPem: fs.readFileSync(files.privateKey, 'utf8') };
  }

  credentials(loginId: DemoLoginId): DemoCredentials {
    return this.gateway.demoCredentials![loginId];
  }

  asUser(loginId: DemoLoginId): GraphqlClient {
    return this.withCertificate(this.demoIdentity(loginId));
  }

  withCertificate(identity: TlsIdentity | null, origin = this.apiOrigin, options: ConnectionOptions = {}): GraphqlClient {
    const client = new GraphqlClient(origin, this.caPem, identity, options);
    this.clients.push(client);
    return client;
  }

  /** A valid certificate from the bank CA that no user is registered with. */
  unregisteredIdentity(commonName = 'user01'): TlsIdentity {
    const keys = generateRsaKeyPair();
    const certificatePem = this.gateway.services.pki.ca.issueClientCertificate(
      keys.publicKeyPem,
      { commonName, organization: 'Demo Corporation' },
      new Date(),
      365,
    );
    return { certificatePem, privateKeyPem: keys.privateKeyPem };
  }

  withoutCertificate(): GraphqlClient {
    return this.withCertificate(null);
  }

  enrollClient(): GraphqlClient {
    const client = new GraphqlClient(this.enrollOrigin, this.caPem, null);
    this.clients.push(client);
    return client;
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close().catch(() => undefined)));
    await this.gateway.stop();
    await this.database.drop();
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.cleanups.forEach((cleanup) => cleanup());
  }
}
