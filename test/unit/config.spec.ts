import path from 'node:path';
import { ConfigError, DEMO_BANK_CODE, loadConfig } from '../../src/config';
import { DEMO_ACCOUNTS } from '../../src/demo/demo-data';
import { findBank, findBranch } from '../../src/banking/zengin';

/** What production requires to be named (the bank's CA and server material, the audit key), named. */
const PRODUCTION = {
  NODE_ENV: 'production',
  CA_CERT_PATH: 'a',
  CA_KEY_PATH: 'b',
  SERVER_CERT_PATH: 'c',
  SERVER_KEY_PATH: 'd',
  AUDIT_CHAIN_KEY_PATH: 'e',
};

describe('configuration', () => {
  it('successful: defaults describe a development gateway on SQLite', () => {
    const config = loadConfig({});
    expect(config.apiPort).toBe(8443);
    expect(config.enrollPort).toBe(8444);
    expect(config.database.kind).toBe('sqlite');
    expect(config.auth).toMatchObject({
      lockoutThreshold: 6,
      passwordMaxAgeDays: 90,
      passwordExpiryWarningDays: 14,
      passwordExpiryMode: 'soft',
    });
    expect(config.pki.certificateValidityDays).toBe(365);
  });

  it('successful: DATABASE_URL selects MySQL', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' }).database).toEqual({
      kind: 'mysql',
      url: 'mysql://root@127.0.0.1:3306/test',
      queryTimeoutMs: 10_000,
      connectTimeoutMs: 5_000,
    });
  });

  it.each([
    ['API_PORT', 'abc'],
    ['API_PORT', '70000'],
    ['PASSWORD_EXPIRY_MODE', 'strict'],
    ['DATABASE_URL', 'postgres://x'],
    ['TRUSTED_PROXIES', '10.0.0.0/8,not-an-ip'],
    ['PROXY_PROTOCOL_FROM', '10.0.0.0/33'],
    ['PROXY_PROTOCOL_TIMEOUT_MS', '50'],
    ['PROXY_CLIENT_CERT_FORMAT', 'pem'],
    ['PROXY_CLIENT_CERT_HEADER', 'X-Client-Cert'],
    ['PASSWORD_CHECK_LEASE_SECONDS', '1'],
    ['TRANSFER_CUTOFF', '24:00'],
    ['TRANSFER_CUTOFF', '3pm'],
    ['SCHEDULER_INTERVAL_SECONDS', '-1'],
    ['AUDIT_RETENTION_DAYS', '-1'],
    ['AUDIT_RETENTION_DAYS', '1.5'],
  ])('failing: an invalid %s=%s stops with one line naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} .*${value}`));
  });

  it('successful: transfers run by the bank calendar with a 15:00 cut-off and a scheduled run every minute, unless configured otherwise', () => {
    expect(loadConfig({}).transfers).toEqual({
      cutoff: { hour: 15, minute: 0 },
      schedulerIntervalSeconds: 60,
      bulkTransferMaxLines: 10_000,
      salarySubmissionBusinessDays: 3,
      dateHorizonDays: 60,
    });
    expect(
      loadConfig({
        TRANSFER_CUTOFF: '14:30',
        SCHEDULER_INTERVAL_SECONDS: '0',
        BULK_TRANSFER_MAX_LINES: '500',
        SALARY_SUBMISSION_BUSINESS_DAYS: '2',
        TRANSFER_DATE_HORIZON_DAYS: '90',
      }).transfers,
    ).toEqual({
      cutoff: { hour: 14, minute: 30 },
      schedulerIntervalSeconds: 0,
      bulkTransferMaxLines: 500,
      salarySubmissionBusinessDays: 2,
      dateHorizonDays: 90,
    });
    expect(() => loadConfig({ SALARY_SUBMISSION_BUSINESS_DAYS: '0' })).toThrow(/SALARY_SUBMISSION_BUSINESS_DAYS/);
    expect(loadConfig({ TRANSFER_CUTOFF: 'none' }).transfers.cutoff).toBeNull();
    expect(() => loadConfig({ BULK_TRANSFER_MAX_LINES: '0' })).toThrow(/BULK_TRANSFER_MAX_LINES/);
    expect(() => loadConfig({ TRANSFER_DATE_HORIZON_DAYS: '0' })).toThrow(/TRANSFER_DATE_HORIZON_DAYS/);
  });

  it('names this bank: BANK_CODE (four digits; the demo default 1345, a real 信用金庫 whose branches the demo accounts are) and BANK_NAME', () => {
    expect(loadConfig({}).bank).toEqual({ code: DEMO_BANK_CODE, name: '昭和信用金庫' });
    expect(findBank(DEMO_BANK_CODE)?.name).toBe('昭和信金');
    // The demo accounts' branches are branches of the demo bank (本店, 新宿支店).
    for (const account of DEMO_ACCOUNTS) {
      expect(account.branchName.replace(/支店$/, '')).toBe(findBranch(DEMO_BANK_CODE, account.branchCode)?.name);
    }
    expect(loadConfig({ BANK_CODE: '0009', BANK_NAME: '三井住友銀行' }).bank).toEqual({ code: '0009', name: '三井住友銀行' });
    expect(() => loadConfig({ BANK_CODE: '134' })).toThrow(/^Invalid configuration: BANK_CODE must be four digits/);
    expect(() => loadConfig({ BANK_NAME: '' })).toThrow(/BANK_NAME/);
  });

  it('successful: no proxy is trusted and no PROXY header read unless configured; the certificate header defaults by format', () => {
    expect(loadConfig({}).proxy).toEqual({
      trustedProxies: [],
      clientCertFormat: 'escaped-pem',
      clientCertHeader: 'x-client-cert',
      proxyProtocolFrom: [],
      proxyProtocolTimeoutMs: 5_000,
    });
    expect(loadConfig({ PROXY_PROTOCOL_FROM: '10.0.0.5, 192.0.2.0/24' }).proxy.proxyProtocolFrom).toEqual(['10.0.0.5', '192.0.2.0/24']);
    expect(loadConfig({ PROXY_CLIENT_CERT_FORMAT: 'rfc9440' }).proxy.clientCertHeader).toBe('client-cert');
    expect(loadConfig({ PROXY_CLIENT_CERT_FORMAT: 'xfcc' }).proxy.clientCertHeader).toBe('x-forwarded-client-cert');
    expect(loadConfig({ PROXY_CLIENT_CERT_FORMAT: 'xfcc', PROXY_CLIENT_CERT_HEADER: 'x-client-cert-chain' }).proxy.clientCertHeader).toBe(
      'x-client-cert-chain',
    );
  });

  it('successful: audit events are kept forever unless AUDIT_RETENTION_DAYS is set; the archive folder defaults under data/', () => {
    expect(loadConfig({}).audit).toEqual({
      retentionDays: 0,
      archiveDir: path.resolve('data/audit-archive'),
      chainKeyPath: path.resolve('certs/audit-chain.key'),
    });
    expect(
      loadConfig({ AUDIT_RETENTION_DAYS: '2557', AUDIT_ARCHIVE_DIR: '/srv/audit', AUDIT_CHAIN_KEY_PATH: '/etc/bank/audit.key' }).audit,
    ).toEqual({
      retentionDays: 2557,
      archiveDir: '/srv/audit',
      chainKeyPath: '/etc/bank/audit.key',
    });
  });

  it('failing: production prunes audit events only into an archive folder the bank named', () => {
    expect(() => loadConfig({ ...PRODUCTION, AUDIT_RETENTION_DAYS: '2557' })).toThrow(/AUDIT_ARCHIVE_DIR is required/);
    expect(loadConfig({ ...PRODUCTION, AUDIT_RETENTION_DAYS: '2557', AUDIT_ARCHIVE_DIR: '/srv/audit' }).audit.retentionDays).toBe(2557);
    expect(loadConfig(PRODUCTION).audit.retentionDays).toBe(0);
  });

  it("failing: a test clock (TEST_CLOCK_OFFSET_MS) is refused in production; elsewhere it moves the gateway's clock", () => {
    expect(() => loadConfig({ ...PRODUCTION, TEST_CLOCK_OFFSET_MS: '3600000' })).toThrow(
      /TEST_CLOCK_OFFSET_MS is for tests and refused when NODE_ENV=production/,
    );
    expect(loadConfig(PRODUCTION).clockOffsetMs).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test', TEST_CLOCK_OFFSET_MS: '-86400000' }).clockOffsetMs).toBe(-86_400_000);
    expect(() => loadConfig({ TEST_CLOCK_OFFSET_MS: '1.5' })).toThrow(/TEST_CLOCK_OFFSET_MS/);
  });

  it('failing: production requires the bank CA and server material to be named', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CA_CERT_PATH is required when NODE_ENV=production/);
  });

  it('failing: production requires the audit chain key to be named (it is never generated there)', () => {
    const { AUDIT_CHAIN_KEY_PATH: _named, ...withoutKey } = PRODUCTION;
    expect(() => loadConfig(withoutKey)).toThrow(/AUDIT_CHAIN_KEY_PATH is required when NODE_ENV=production/);
  });

  it('e-mail notices: kept and logged without SMTP_URL; smtp:// requires STARTTLS unless relaxed; a bad URL is refused without echoing it', () => {
    expect(loadConfig({}).notices).toMatchObject({ smtp: null, intervalSeconds: 5, leaseSeconds: 120, maxAttempts: 8 });
    const smtp = loadConfig({ SMTP_URL: 'smtp://relay.example.jp:587', SMTP_CA_PATH: 'ca.pem', NOTICE_FROM: 'ib@example.jp' }).notices;
    expect(smtp.smtp).toEqual({
      url: 'smtp://relay.example.jp:587',
      requireStartTls: true,
      caPath: path.resolve('ca.pem'),
      from: '"昭和信用金庫" <ib@example.jp>',
      timeoutMs: 30_000,
    });
    expect(smtp.messageIdDomain).toBe('example.jp');
    expect(loadConfig({ SMTP_URL: 'smtp://relay:25', SMTP_REQUIRE_STARTTLS: 'false' }).notices.smtp?.requireStartTls).toBe(false);
    const bad = () => loadConfig({ SMTP_URL: 'http://user:s3cret@relay/' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/SMTP_URL must be smtp:\/\/host:port or smtps:\/\/host:port/);
    expect(bad).not.toThrow(/s3cret/);
  });

  it('a refused DATABASE_URL is named with its password masked', () => {
    const bad = () => loadConfig({ DATABASE_URL: 'postgres://gateway:s3cret@db.example.jp/ib' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(
      'Invalid configuration: DATABASE_URL must start with sqlite: or mysql:// (or mariadb://) (got "postgres://gateway:***@db.example.jp/ib")',
    );
  });
});
