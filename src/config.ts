import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { parseRanges, rangesOverlap } from './common/ip-ranges';
import { parseCutoffTime } from './banking/calendar/bank-calendar';

/*
 * The one typed configuration of the gateway, read from the environment. Each setting is declared
 * once, in `settingsSchema` below: its type, default, bounds and a one-line description, from
 * which docs/configuration.md is generated (npm run config:docs; a test fails while it is stale).
 * An invalid value stops the process with one line naming the variable.
 */

declare module 'zod' {
  interface GlobalMeta {
    /** The default in words, where it is computed from other settings (docs/configuration.md). */
    defaultText?: string;
    /** The allowed values in words, where the schema's own checks cannot say them (docs/configuration.md). */
    values?: string;
  }
}

function isCutoff(value: string): boolean {
  try {
    parseCutoffTime(value);
    return true;
  } catch {
    return false;
  }
}

function isCidr(entry: string): boolean {
  return entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
}

const integer = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const flag = (fallback: 'true' | 'false') => z.enum(['true', 'false']).default(fallback);

const filePath = z.string().meta({ values: 'a file path' });

const folder = z.string().min(1).meta({ values: 'a folder' });

/** An https origin as customers reach it (behind a load balancer the ports differ from the listeners'). */
const publicUrl = z
  .string()
  .regex(/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/, 'must be an https origin such as https://ib.example.jp')
  .optional()
  .meta({ values: 'an https origin such as `https://ib.example.jp`' });

/** Comma-separated IP addresses or CIDR ranges; empty: none. */
const addressList = z
  .string()
  .default('')
  .refine(
    (value) => value.split(',').every((entry) => !entry.trim() || isCidr(entry.trim())),
    'must be IP addresses or CIDR ranges, comma-separated',
  )
  .meta({ values: 'IP addresses or CIDR ranges, comma-separated' });

/**
 * How a TLS-terminating proxy forwards the client certificate, and the header it uses by default:
 * URL-encoded PEM (nginx's $ssl_client_escaped_cert), RFC 9440's Client-Cert (a structured-field
 * byte sequence of the DER), or Envoy's X-Forwarded-Client-Cert (its `Cert` key).
 */
export const CLIENT_CERT_HEADERS = {
  'escaped-pem': 'x-client-cert',
  rfc9440: 'client-cert',
  xfcc: 'x-forwarded-client-cert',
} as const satisfies Record<ClientCertFormat, string>;

const AUDIT_ARCHIVE_DIR_DEFAULT = 'data/audit-archive';

/**
 * The demo bank: 昭和信用金庫 (1345), a real 信用金庫 whose 本店 (001) and 新宿 (002) branches the
 * zengin-code directory knows, so the demo accounts are real branches of it (demo-data.ts).
 */
export const DEMO_BANK_CODE = '1345';

/** Every setting, one entry each: its environment variable, type, default, bounds and description. */
export const settingsSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe(
      '`production` never creates a CA, server certificate or demo data, and hides the schema from all but administrators and operators',
    ),
  LISTEN_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .meta({ values: 'an IP address or host name', description: 'the address both listeners bind to (`0.0.0.0` to serve a network)' }),
  API_PORT: integer(8443, 0, 65535).describe(
    'the API listener: a client certificate of the bank CA is required at the handshake (0: any free port)',
  ),
  ENROLL_PORT: integer(8444, 0, 65535).describe(
    'the enrollment listener: server-authenticated TLS only (certificate acquisition, CA, CRL, health)',
  ),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite: or mysql:// (or mariadb://)')
    .default('sqlite:data/gateway.sqlite')
    .meta({
      values: '`sqlite:<file>`, `mysql://user:pass@host:3306/db` or `mariadb://…`',
      description: 'the database: a SQLite file for one machine, or MySQL 8 / MariaDB 10.6+',
    }),
  DATABASE_QUERY_TIMEOUT_MS: integer(10_000, 100, 600_000).describe(
    'the longest a query may take: a database that stops answering gets requests a 503 (`Retry-After: 5`) instead of a hang (migrations are exempt); on SQLite the busy timeout',
  ),
  DATABASE_CONNECT_TIMEOUT_MS: integer(5_000, 100, 120_000).describe('the longest a new MySQL/MariaDB connection may take'),
  CERTS_DIR: folder.default('certs').describe('where the development CA, server certificate and demo identities are written'),
  CA_CERT_PATH: filePath
    .optional()
    .meta({ defaultText: '`CERTS_DIR`/ca.pem', description: 'the bank CA certificate (PEM); required in production' }),
  CA_KEY_PATH: filePath
    .optional()
    .meta({ defaultText: '`CERTS_DIR`/ca.key.pem', description: 'the bank CA key (PEM); required in production' }),
  SERVER_CERT_PATH: filePath
    .optional()
    .meta({ defaultText: '`CERTS_DIR`/server.crt.pem', description: "the gateway's TLS certificate (PEM); required in production" }),
  SERVER_KEY_PATH: filePath
    .optional()
    .meta({ defaultText: '`CERTS_DIR`/server.key.pem', description: "the gateway's TLS key (PEM); required in production" }),
  SERVER_HOSTNAMES: z
    .string()
    .default('localhost,127.0.0.1,::1')
    .meta({ values: 'host names and IP addresses, comma-separated', description: 'the names in the development server certificate' }),
  CERTIFICATE_VALIDITY_DAYS: integer(365, 1, 3650).describe('how long an issued client certificate is valid'),
  CERTIFICATE_RENEWAL_WARNING_DAYS: integer(30, 0, 365).describe(
    'from this many days before a client certificate expires, warn and let its user renew it',
  ),
  ENROLLMENT_CODE_VALIDITY_DAYS: integer(80, 1, 365).describe('how long an enrollment code may be used'),
  LOCKOUT_THRESHOLD: integer(6, 1, 20).describe(
    'consecutive wrong passwords (login and confirmation passwords together) that lock a user ID',
  ),
  PASSWORD_MAX_AGE_DAYS: integer(90, 1, 3650).describe('the login password’s lifetime'),
  PASSWORD_EXPIRY_WARNING_DAYS: integer(14, 0, 365).describe('warn this many days before the login password expires'),
  PASSWORD_EXPIRY_MODE: z
    .enum(['soft', 'enforce'])
    .default('soft')
    .describe('`soft`: after expiry, warn and keep working; `enforce`: only `changePassword`, `logout` and `whoami`'),
  PASSWORD_MIN_LENGTH: integer(8, 4, 64).describe('the shortest password accepted'),
  PASSWORD_HISTORY: integer(3, 0, 24).describe('a new password may not be one of the last N'),
  PASSWORD_HASH_CONCURRENCY: integer(2, 1, 64).describe(
    'argon2id hashes computed at once in each gateway process, each on a worker thread of its own (more wait their turn)',
  ),
  PASSWORD_HASH_NICE: integer(10, 0, 19).describe(
    'how far below the event loop the hashing threads run (Linux `nice`; other systems hash at normal priority): during a login storm other requests keep their pace and logins take the CPU left over; 0 shares the CPU equally',
  ),
  PASSWORD_CHECK_LEASE_SECONDS: integer(30, 2, 600).describe(
    'how long a password check holds its attempt; one left by a crashed instance is given back after this. A check still waiting for the hasher after half of it answers `RATE_LIMITED`, uncounted',
  ),
  SESSION_IDLE_MINUTES: integer(15, 1, 24 * 60).describe('a session ends after this long without a request'),
  SESSION_ABSOLUTE_HOURS: integer(8, 1, 72).describe('a session ends this long after its login, however busy'),
  MAX_QUERY_DEPTH: integer(10, 2, 50).describe('the deepest GraphQL selection accepted'),
  MAX_BATCH_SIZE: integer(10, 1, 100).describe('operations accepted in one array batch'),
  MAX_ALIASES: integer(20, 0, 1000).describe('aliases in one operation'),
  MAX_DIRECTIVES: integer(20, 0, 1000).describe('directives in one operation'),
  MAX_TOKENS: integer(2000, 100, 100_000).describe('tokens in one GraphQL document'),
  MAX_QUERY_COST: integer(20_000, 100, 1_000_000).describe(
    'about how many values the answers of one request (all operations of a batch together) may hold: each field counts 1, times the page size (`first`, `last`, `limit`: literal, variable or default) of every list above it (docs/query-limits.md)',
  ),
  MAX_BODY_BYTES: integer(3 * 1024 * 1024, 10 * 1024, 100 * 1024 * 1024).describe(
    'the largest request body `/graphql` reads (3 MiB: a 10,000-line bulk transfer as a base64 Zengin file, ~1.6 MB, or as JSON lines, up to ~2.1 MB); more is HTTP 413',
  ),
  REFUSE_MOBILE_BROWSERS: flag('true').describe(
    'refuse phone browsers by their User-Agent (clients without a browser User-Agent are unaffected)',
  ),
  TRUSTED_PROXIES: addressList.describe(
    'trusted-proxy mode: the addresses of a bank-side TLS-terminating load balancer, which may forward the client certificate in a header (trusted by the connection’s own address, never one a PROXY header names; no address may be in `PROXY_PROTOCOL_FROM` too); empty: mTLS only',
  ),
  PROXY_CLIENT_CERT_FORMAT: z
    .enum(['escaped-pem', 'rfc9440', 'xfcc'])
    .default('escaped-pem')
    .describe(
      "how such a proxy forwards the client certificate: `escaped-pem` (URL-encoded PEM, nginx's `$ssl_client_escaped_cert`), `rfc9440` (`Client-Cert: :<base64 DER>:`) or `xfcc` (Envoy's `X-Forwarded-Client-Cert`, its last element's `Cert`)",
    ),
  PROXY_CLIENT_CERT_HEADER: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be a lower-case header name')
    .optional()
    .meta({
      values: 'a lower-case header name',
      defaultText: 'by format: `x-client-cert`, `client-cert`, `x-forwarded-client-cert`',
      description: 'the header such a proxy puts the client certificate in',
    }),
  PROXY_PROTOCOL_FROM: addressList.describe(
    'the addresses of TCP load balancers (TLS passed through) whose connections must start with a PROXY protocol header (v2 or v1) naming the client; empty: none is read',
  ),
  PROXY_PROTOCOL_TIMEOUT_MS: integer(5_000, 100, 60_000).describe(
    'how long such a connection may take to send its whole PROXY header before it is closed',
  ),
  SHUTDOWN_GRACE_SECONDS: integer(10, 0, 600).describe(
    'on SIGTERM/SIGINT both listeners stop accepting and requests in flight may finish (answered with `Connection: close`) for this long; exit 0 when all were answered, 1 when some were cut off',
  ),
  WORKERS: integer(1, 1, 64).describe(
    'gateway processes sharing the listeners’ ports (node:cluster), e.g. the number of CPU cores; 1 runs no cluster',
  ),
  METRICS_PORT: integer(9464, 0, 65535).describe(
    'where `GET /metrics` (Prometheus text, plain HTTP) answers; with `WORKERS`, the workers’ metrics summed',
  ),
  METRICS_HOST: z.string().min(1).default('127.0.0.1').meta({
    values: 'an IP address or host name',
    description: 'the metrics listener’s address: keep it on loopback or a management network',
  }),
  METRICS_ENABLED: flag('true').describe('serve Prometheus metrics on their own listener'),
  TRANSFER_CUTOFF: z
    .string()
    .default('15:00')
    .refine((value) => value === 'none' || isCutoff(value), 'must be a time HH:MM (00:00–23:59) or none')
    .meta({
      values: '`HH:MM` (00:00–23:59) or `none`',
      description:
        'the time of day (Asia/Tokyo) from which a transfer runs on the next business day (予約扱い); `none`: every transfer runs when it is made, any day',
    }),
  TRANSFER_DATE_HORIZON_DAYS: integer(60, 1, 366).describe(
    'how many days ahead a transfer date (振込指定日) may be asked for; a later one is refused (INVALID_EXECUTION_DATE, BEYOND_HORIZON)',
  ),
  BANK_CODE: z
    .string()
    .regex(/^\d{4}$/, 'must be four digits')
    .default(DEMO_BANK_CODE)
    .meta({
      values: 'four digits (統一金融機関コード)',
      description:
        'this bank’s code: a Zengin file’s header must name it; accounts’ branch codes are this bank’s branches. The default is a real 信用金庫’s code (昭和信用金庫), for the demo',
    }),
  BANK_NAME: z.string().min(1).max(64).default('昭和信用金庫').describe('this bank’s name as customers know it, e.g. 昭和信用金庫'),
  SCHEDULER_INTERVAL_SECONDS: integer(60, 0, 3600).describe(
    'how often this instance runs the scheduled transfers whose day has come (and audit retention); 0: never (another instance does)',
  ),
  NEW_PAYEE_HOLD_HOURS: integer(24, 0, 24 * 30).describe(
    'a transfer above `NEW_PAYEE_HOLD_AMOUNT` to a destination first paid (or a payee registered) less than this many hours ago is HELD for a bank operator’s 本人確認 instead of running; 0: no such hold',
  ),
  NEW_PAYEE_HOLD_AMOUNT: integer(500_000, 0, Number.MAX_SAFE_INTEGER).describe(
    'whole yen; a transfer to a new destination above this is held (see `NEW_PAYEE_HOLD_HOURS`)',
  ),
  INITIAL_PERIOD_DAYS: integer(30, 0, 365).describe(
    'for this many days after a contract is created its daily transfer limits (each user’s and the contract’s) are at most `INITIAL_PERIOD_DAILY_LIMIT`; 0: no initial period',
  ),
  INITIAL_PERIOD_DAILY_LIMIT: integer(1_000_000, 0, Number.MAX_SAFE_INTEGER).describe(
    'whole yen; the most a daily transfer limit allows in a contract’s initial period (see `INITIAL_PERIOD_DAYS`)',
  ),
  LIMIT_RAISE_DELAY_HOURS: integer(24, 0, 24 * 30).describe(
    'a user’s transfer limits raised by the administrator take effect this many hours later (at the first scheduled run after), the user and the administrators told by audit events; a lowering takes effect at once; 0: at once',
  ),
  VELOCITY_WINDOW_MINUTES: integer(60, 0, 24 * 60).describe(
    'a transfer that makes more than `VELOCITY_MAX_ORDERS` transfers, or more than `VELOCITY_MAX_AMOUNT` yen, made by one user (and, apart, by one contract) in this many minutes is HELD; 0: no velocity rule',
  ),
  VELOCITY_MAX_ORDERS: integer(10, 1, 100_000).describe('how many transfers one user may make in the velocity window without a hold'),
  VELOCITY_MAX_AMOUNT: integer(10_000_000, 1, Number.MAX_SAFE_INTEGER).describe(
    'whole yen; how much one user may transfer in the velocity window without a hold',
  ),
  VELOCITY_CONTRACT_MAX_ORDERS: integer(50, 1, 100_000).describe(
    'how many transfers all users of one contract may make in the velocity window without a hold',
  ),
  VELOCITY_CONTRACT_MAX_AMOUNT: integer(50_000_000, 1, Number.MAX_SAFE_INTEGER).describe(
    'whole yen; how much all users of one contract may transfer in the velocity window without a hold',
  ),
  BULK_TRANSFER_MAX_LINES: integer(10_000, 1, 100_000).describe(
    'the most lines one bulk transfer (a Zengin file or JSON lines) may hold; more are refused before anything is checked or stored',
  ),
  SALARY_SUBMISSION_BUSINESS_DAYS: integer(3, 1, 15).describe(
    'a salary or bonus transfer (給与・賞与振込) is made and approved by the cut-off (`TRANSFER_CUTOFF`) of the bank business day this many business days before the payday (3, as Japanese banks ask for other banks’ payees); later is refused',
  ),
  PASSKEY_RP_ID: z
    .string()
    .regex(/^[a-z0-9.-]{1,253}$/, 'must be a DNS name such as ib.example.jp (no scheme, no port)')
    .default('localhost')
    .meta({
      values: 'a DNS name (lower case)',
      description:
        'the WebAuthn relying party ID of passkeys (取引認証): the host name customers reach the web app at, or a parent domain of it',
    }),
  PASSKEY_RP_NAME: z
    .string()
    .min(1)
    .max(64)
    .default('法人インターネットバンキング')
    .describe('the service’s name a browser shows when it registers a passkey'),
  PASSKEY_ORIGIN: publicUrl.meta({
    defaultText: '`PUBLIC_API_URL`, else `https://`PASSKEY_RP_ID`:`the API listener’s port',
    description: 'the web app’s origin that passkey ceremonies must come from (WebAuthn expected origin)',
  }),
  PASSKEY_APPROVAL_REQUIRED_FROM: z
    .string()
    .default('1000000')
    .refine((value) => value === 'none' || /^\d{1,15}$/.test(value), 'must be whole yen or none')
    .meta({
      values: 'whole yen, or `none`',
      description:
        'the amount from which approving an order takes a passkey (取引認証) for a contract that has not chosen REQUIRED or OPTIONAL; `none`: only where the contract chose REQUIRED',
    }),
  PASSKEY_CHALLENGE_SECONDS: integer(300, 30, 3600).describe('how long a passkey challenge may be answered; each is used once'),
  AUDIT_RETENTION_DAYS: integer(0, 0, 36_500).describe(
    'audit events from before the start (Asia/Tokyo) of the day this many days ago are archived, then pruned from the database; 0: kept forever',
  ),
  AUDIT_ARCHIVE_DIR: folder.optional().meta({
    defaultText: `\`${AUDIT_ARCHIVE_DIR_DEFAULT}\``,
    description:
      'the archive’s folder, one JSON Lines file per chain; the same (shared) folder for every instance that prunes; required in production when `AUDIT_RETENTION_DAYS` is set',
  }),
  AUDIT_CHAIN_KEY_PATH: filePath.optional().meta({
    defaultText: '`CERTS_DIR`/audit-chain.key, created on first start',
    description:
      'the secret key (a file of at least 32 bytes, e.g. `openssl rand -base64 32`) that HMACs the audit chain and its checkpoints; outside the database, the same on every instance; required in production',
  }),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s/]+(:\d{1,5})?\/?$/, 'must be smtp://host:port or smtps://host:port (user:password@ allowed)')
    .optional()
    .meta({
      values: '`smtp://[user:pass@]host:587` (STARTTLS) or `smtps://[user:pass@]host:465`',
      defaultText: 'none: notices are kept in the outbox and shown in the log, nothing is sent',
      description: 'the SMTP server e-mail notices (docs/notices.md) are sent through',
    }),
  SMTP_REQUIRE_STARTTLS: flag('true').describe(
    '`smtp://` only: send nothing unless the server offers STARTTLS; `false` relaxes it (a local relay without TLS)',
  ),
  SMTP_CA_PATH: filePath.optional().meta({
    defaultText: "the system's trusted roots",
    description: "the CA (PEM) that issued the SMTP server's certificate",
  }),
  NOTICE_FROM: z
    .string()
    .regex(/^[^@\s<>"]+@[^@\s<>"]+$/, 'must be an e-mail address')
    .default('ib-notice@localhost')
    .meta({
      values: 'an e-mail address',
      description: 'the sender of notices (its domain names their Message-IDs); shown with `BANK_NAME`',
    }),
  PARTNER_CONSENT_DAYS: integer(90, 1, 365).describe(
    'how long a customer’s consent to a partner (連携の同意) lasts; the customer renews it on 連携先管理',
  ),
  PARTNER_REQUESTS_PER_MINUTE: integer(300, 1, 100000).describe(
    'operations one partner may send to /graphql per minute (each of an array batch counts), over all its customers and every instance; more answer `RATE_LIMITED`',
  ),
  NOTICE_SEND_INTERVAL_SECONDS: integer(5, 0, 3600).describe(
    'how often this instance sends the due notices of the outbox; 0: never (other instances do)',
  ),
  NOTICE_LEASE_SECONDS: integer(120, 5, 3600).describe(
    'how long an instance holds a notice it is sending; one left by a crashed instance is sent by another after this (with the same Message-ID)',
  ),
  NOTICE_MAX_ATTEMPTS: integer(8, 1, 100).describe(
    'attempts to send a notice (waiting 1, 2, 4 … minutes, at most an hour, between them) before it is given up as FAILED with the reason kept',
  ),
  PUBLIC_API_URL: publicUrl.meta({
    defaultText: 'this host, `API_PORT`',
    description: 'the API listener as customers reach it, for the enrollment page’s link to the web app',
  }),
  PUBLIC_ENROLL_URL: publicUrl.meta({
    defaultText: 'this host, `ENROLL_PORT`',
    description: 'the enrollment listener as customers reach it, for the pages that send a PC without a usable certificate there',
  }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('the pino log level (`silent` mutes it)'),
  TEST_CLOCK_OFFSET_MS: integer(0, -10 * 366 * 86_400_000, 10 * 366 * 86_400_000).describe(
    'tests only, refused in production: the gateway’s clock runs this many milliseconds ahead of (or behind) the real time, so that a gateway process shares the clock of the test that started it',
  ),
});

/** The settings as read from the environment, one field per variable. */
export type Settings = z.infer<typeof settingsSchema>;
export type ClientCertFormat = Settings['PROXY_CLIENT_CERT_FORMAT'];

/** The structured configuration callers use (`config.proxy.trustedProxies`); its type is derived from this one mapping. */
export type GatewayConfig = ReturnType<typeof structured>;

export class ConfigError extends Error {}

/** `a, b,,c` → ['a', 'b', 'c']. */
function commaList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** `scheme://user:password@host…` with the password replaced, for messages: a refused DATABASE_URL is still a credential. */
function withoutPassword(value: string | undefined): string | undefined {
  return value?.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    // An SMTP URL may carry the relay's password: never echoed; any other URL's password is masked.
    const got = name === 'SMTP_URL' ? 'a value not shown' : JSON.stringify(withoutPassword(env[name]));
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message} (got ${got})`);
  }
  const v = parsed.data;
  if (v.NODE_ENV === 'production') {
    // In production the bank's CA and server material are never generated: they must be named.
    for (const name of ['CA_CERT_PATH', 'CA_KEY_PATH', 'SERVER_CERT_PATH', 'SERVER_KEY_PATH'] as const) {
      if (!v[name]) throw new ConfigError(`Invalid configuration: ${name} is required when NODE_ENV=production`);
    }
    // A bank's clock is the real one: money, limits and certificates follow it.
    if (v.TEST_CLOCK_OFFSET_MS !== 0)
      throw new ConfigError('Invalid configuration: TEST_CLOCK_OFFSET_MS is for tests and refused when NODE_ENV=production');
    // The key that makes the audit chain tamper-evident is the bank's, kept where the database is not.
    if (!v.AUDIT_CHAIN_KEY_PATH) throw new ConfigError('Invalid configuration: AUDIT_CHAIN_KEY_PATH is required when NODE_ENV=production');
    // Events leave the database only for a folder the bank chose (and backs up).
    if (v.AUDIT_RETENTION_DAYS > 0 && !v.AUDIT_ARCHIVE_DIR) {
      throw new ConfigError(
        'Invalid configuration: AUDIT_ARCHIVE_DIR is required when NODE_ENV=production and AUDIT_RETENTION_DAYS is set',
      );
    }
  }
  const proxyProtocolFrom = parseRanges(commaList(v.PROXY_PROTOCOL_FROM));
  // A balancer that passes TLS through carries its clients' bytes, headers included: if its address
  // were also a trusted proxy, anyone behind it could name a certificate in a header.
  const both = commaList(v.TRUSTED_PROXIES).find((proxy) =>
    proxyProtocolFrom.some((balancer) => rangesOverlap(parseRanges([proxy])[0], balancer)),
  );
  if (both) {
    throw new ConfigError(
      `Invalid configuration: TRUSTED_PROXIES and PROXY_PROTOCOL_FROM share ${both}; a TLS-passthrough balancer cannot also be a TLS-terminating proxy`,
    );
  }
  return structured(v);
}

/** The settings grouped as callers use them. */
function structured(v: Settings) {
  const certsDir = path.resolve(v.CERTS_DIR);
  const inCerts = (file: string) => path.join(certsDir, file);
  return {
    env: v.NODE_ENV,
    production: v.NODE_ENV === 'production',
    listenHost: v.LISTEN_HOST,
    apiPort: v.API_PORT,
    enrollPort: v.ENROLL_PORT,
    // A database that stops answering must not hang requests: a query gets `queryTimeoutMs` (MySQL:
    // the connection is then dropped; SQLite: the busy timeout), a new connection `connectTimeoutMs`.
    database: {
      queryTimeoutMs: v.DATABASE_QUERY_TIMEOUT_MS,
      connectTimeoutMs: v.DATABASE_CONNECT_TIMEOUT_MS,
      ...(v.DATABASE_URL.startsWith('sqlite:')
        ? { kind: 'sqlite' as const, file: path.resolve(v.DATABASE_URL.slice('sqlite:'.length)) }
        : { kind: 'mysql' as const, url: v.DATABASE_URL.replace(/^mariadb:/, 'mysql:') }),
    },
    pki: {
      certsDir,
      caCertPath: v.CA_CERT_PATH ?? inCerts('ca.pem'),
      caKeyPath: v.CA_KEY_PATH ?? inCerts('ca.key.pem'),
      serverCertPath: v.SERVER_CERT_PATH ?? inCerts('server.crt.pem'),
      serverKeyPath: v.SERVER_KEY_PATH ?? inCerts('server.key.pem'),
      serverHostnames: commaList(v.SERVER_HOSTNAMES),
      certificateValidityDays: v.CERTIFICATE_VALIDITY_DAYS,
      renewalWarningDays: v.CERTIFICATE_RENEWAL_WARNING_DAYS,
      enrollmentCodeValidityDays: v.ENROLLMENT_CODE_VALIDITY_DAYS,
    },
    auth: {
      lockoutThreshold: v.LOCKOUT_THRESHOLD,
      passwordMaxAgeDays: v.PASSWORD_MAX_AGE_DAYS,
      passwordExpiryWarningDays: v.PASSWORD_EXPIRY_WARNING_DAYS,
      passwordExpiryMode: v.PASSWORD_EXPIRY_MODE,
      passwordMinLength: v.PASSWORD_MIN_LENGTH,
      passwordHistory: v.PASSWORD_HISTORY,
      hashConcurrency: v.PASSWORD_HASH_CONCURRENCY,
      hashNice: v.PASSWORD_HASH_NICE,
      passwordCheckLeaseSeconds: v.PASSWORD_CHECK_LEASE_SECONDS,
      sessionIdleMinutes: v.SESSION_IDLE_MINUTES,
      sessionAbsoluteHours: v.SESSION_ABSOLUTE_HOURS,
    },
    // Refused before execution (docs/security.md, "Query limits").
    graphql: {
      maxQueryDepth: v.MAX_QUERY_DEPTH,
      maxBatchSize: v.MAX_BATCH_SIZE,
      maxAliases: v.MAX_ALIASES,
      maxDirectives: v.MAX_DIRECTIVES,
      maxTokens: v.MAX_TOKENS,
      maxCost: v.MAX_QUERY_COST,
      maxBodyBytes: v.MAX_BODY_BYTES,
    },
    refuseMobileBrowsers: v.REFUSE_MOBILE_BROWSERS === 'true',
    proxy: {
      trustedProxies: commaList(v.TRUSTED_PROXIES),
      clientCertFormat: v.PROXY_CLIENT_CERT_FORMAT,
      clientCertHeader: v.PROXY_CLIENT_CERT_HEADER ?? CLIENT_CERT_HEADERS[v.PROXY_CLIENT_CERT_FORMAT],
      proxyProtocolFrom: commaList(v.PROXY_PROTOCOL_FROM),
      proxyProtocolTimeoutMs: v.PROXY_PROTOCOL_TIMEOUT_MS,
    },
    shutdownGraceSeconds: v.SHUTDOWN_GRACE_SECONDS,
    workers: v.WORKERS,
    metrics: v.METRICS_ENABLED === 'true' ? { port: v.METRICS_PORT, host: v.METRICS_HOST } : null,
    transfers: {
      cutoff: v.TRANSFER_CUTOFF === 'none' ? null : parseCutoffTime(v.TRANSFER_CUTOFF),
      schedulerIntervalSeconds: v.SCHEDULER_INTERVAL_SECONDS,
      bulkTransferMaxLines: v.BULK_TRANSFER_MAX_LINES,
      salarySubmissionBusinessDays: v.SALARY_SUBMISSION_BUSINESS_DAYS,
      dateHorizonDays: v.TRANSFER_DATE_HORIZON_DAYS,
    },
    /** Passkeys (取引認証): the relying party, and when an approval needs one by default. */
    passkeys: {
      rpId: v.PASSKEY_RP_ID,
      rpName: v.PASSKEY_RP_NAME,
      origin: v.PASSKEY_ORIGIN?.replace(/\/$/, '') ?? v.PUBLIC_API_URL?.replace(/\/$/, '') ?? null,
      requiredFrom: v.PASSKEY_APPROVAL_REQUIRED_FROM === 'none' ? null : Number(v.PASSKEY_APPROVAL_REQUIRED_FROM),
      challengeSeconds: v.PASSKEY_CHALLENGE_SECONDS,
    },
    /** Partners (連携先, docs/partners.md). */
    partners: { consentDays: v.PARTNER_CONSENT_DAYS, requestsPerMinute: v.PARTNER_REQUESTS_PER_MINUTE },
    /** Fraud controls (docs/fraud-controls.md): holds for 本人確認, and the initial period's lower limits. */
    fraud: {
      newPayeeHoldHours: v.NEW_PAYEE_HOLD_HOURS,
      newPayeeHoldAmount: v.NEW_PAYEE_HOLD_AMOUNT,
      initialPeriodDays: v.INITIAL_PERIOD_DAYS,
      initialPeriodDailyLimit: v.INITIAL_PERIOD_DAILY_LIMIT,
      limitRaiseDelayHours: v.LIMIT_RAISE_DELAY_HOURS,
      velocityWindowMinutes: v.VELOCITY_WINDOW_MINUTES,
      velocity: {
        user: { maxOrders: v.VELOCITY_MAX_ORDERS, maxAmount: v.VELOCITY_MAX_AMOUNT },
        contract: { maxOrders: v.VELOCITY_CONTRACT_MAX_ORDERS, maxAmount: v.VELOCITY_CONTRACT_MAX_AMOUNT },
      },
    },
    /** This bank (当金庫): its code and name. */
    bank: { code: v.BANK_CODE, name: v.BANK_NAME },
    audit: {
      retentionDays: v.AUDIT_RETENTION_DAYS,
      archiveDir: path.resolve(v.AUDIT_ARCHIVE_DIR ?? AUDIT_ARCHIVE_DIR_DEFAULT),
      /** The audit key's file (audit/audit-chain-key.ts): created in development and tests, the bank's own in production. */
      chainKeyPath: path.resolve(v.AUDIT_CHAIN_KEY_PATH ?? inCerts('audit-chain.key')),
    },
    /** E-mail notices (notices/): the outbox's senders and the SMTP server. */
    notices: {
      smtp: v.SMTP_URL
        ? {
            url: v.SMTP_URL,
            requireStartTls: v.SMTP_REQUIRE_STARTTLS === 'true',
            caPath: v.SMTP_CA_PATH ? path.resolve(v.SMTP_CA_PATH) : null,
            from: `"${v.BANK_NAME}" <${v.NOTICE_FROM}>`,
            timeoutMs: (v.NOTICE_LEASE_SECONDS * 1000) / 4,
          }
        : null,
      intervalSeconds: v.NOTICE_SEND_INTERVAL_SECONDS,
      leaseSeconds: v.NOTICE_LEASE_SECONDS,
      maxAttempts: v.NOTICE_MAX_ATTEMPTS,
      messageIdDomain: v.NOTICE_FROM.split('@')[1],
    },
    // Where each listener is reached from outside, for the pages that send a person from one to the other.
    publicUrls: { api: v.PUBLIC_API_URL?.replace(/\/$/, '') ?? null, enroll: v.PUBLIC_ENROLL_URL?.replace(/\/$/, '') ?? null },
    logLevel: v.LOG_LEVEL,
    /** Tests only: how far the gateway’s clock is from the real time (0 in production). */
    clockOffsetMs: v.TEST_CLOCK_OFFSET_MS,
  };
}
