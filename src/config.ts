import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { parseCutoffTime, type CutoffTime } from './banking/calendar/bank-calendar';
import { parseRanges, rangesOverlap } from './common/ip-ranges';

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

/**
 * The one typed configuration of the gateway, read from the environment.
 * Every variable has a documented default (README "Configuration"); an invalid value stops
 * the process with one line naming the variable.
 */
const integer = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** An https origin as customers reach it (behind a load balancer the ports differ from the listeners'). */
const publicUrl = z
  .string()
  .regex(/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/, 'must be an https origin such as https://ib.example.jp')
  .optional();

/** Comma-separated IP addresses or CIDR ranges; empty: none. */
const addressList = z
  .string()
  .default('')
  .refine(
    (value) => value.split(',').every((entry) => !entry.trim() || isCidr(entry.trim())),
    'must be IP addresses or CIDR ranges, comma-separated',
  );

/**
 * How a TLS-terminating proxy forwards the client certificate, and the header it uses by default:
 * URL-encoded PEM (nginx's $ssl_client_escaped_cert), RFC 9440's Client-Cert (a structured-field
 * byte sequence of the DER), or Envoy's X-Forwarded-Client-Cert (its `Cert` key).
 */
export const CLIENT_CERT_HEADERS = {
  'escaped-pem': 'x-client-cert',
  rfc9440: 'client-cert',
  xfcc: 'x-forwarded-client-cert',
} as const;
export type ClientCertFormat = keyof typeof CLIENT_CERT_HEADERS;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LISTEN_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: integer(8443, 0, 65535),
  ENROLL_PORT: integer(8444, 0, 65535),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite: or mysql:// (or mariadb://)')
    .default('sqlite:data/gateway.sqlite'),
  DATABASE_QUERY_TIMEOUT_MS: integer(10_000, 100, 600_000),
  DATABASE_CONNECT_TIMEOUT_MS: integer(5_000, 100, 120_000),
  CERTS_DIR: z.string().min(1).default('certs'),
  CA_CERT_PATH: z.string().optional(),
  CA_KEY_PATH: z.string().optional(),
  SERVER_CERT_PATH: z.string().optional(),
  SERVER_KEY_PATH: z.string().optional(),
  SERVER_HOSTNAMES: z.string().default('localhost,127.0.0.1,::1'),
  CERTIFICATE_VALIDITY_DAYS: integer(365, 1, 3650),
  CERTIFICATE_RENEWAL_WARNING_DAYS: integer(30, 0, 365),
  ENROLLMENT_CODE_VALIDITY_DAYS: integer(80, 1, 365),
  LOCKOUT_THRESHOLD: integer(6, 1, 20),
  PASSWORD_MAX_AGE_DAYS: integer(90, 1, 3650),
  PASSWORD_EXPIRY_WARNING_DAYS: integer(14, 0, 365),
  PASSWORD_EXPIRY_MODE: z.enum(['soft', 'enforce']).default('soft'),
  PASSWORD_MIN_LENGTH: integer(8, 4, 64),
  PASSWORD_HISTORY: integer(3, 0, 24),
  PASSWORD_HASH_CONCURRENCY: integer(2, 1, 64),
  PASSWORD_HASH_NICE: integer(10, 0, 19),
  PASSWORD_CHECK_LEASE_SECONDS: integer(30, 2, 600),
  SESSION_IDLE_MINUTES: integer(15, 1, 24 * 60),
  SESSION_ABSOLUTE_HOURS: integer(8, 1, 72),
  MAX_QUERY_DEPTH: integer(10, 2, 50),
  MAX_BATCH_SIZE: integer(10, 1, 100),
  MAX_ALIASES: integer(20, 0, 1000),
  MAX_DIRECTIVES: integer(20, 0, 1000),
  MAX_TOKENS: integer(2000, 100, 100_000),
  MAX_QUERY_COST: integer(5000, 100, 1_000_000),
  MAX_BODY_BYTES: integer(3 * 1024 * 1024, 10 * 1024, 100 * 1024 * 1024),
  REFUSE_MOBILE_BROWSERS: z.enum(['true', 'false']).default('true'),
  TRUSTED_PROXIES: addressList,
  PROXY_CLIENT_CERT_FORMAT: z.enum(['escaped-pem', 'rfc9440', 'xfcc']).default('escaped-pem'),
  PROXY_CLIENT_CERT_HEADER: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be a lower-case header name')
    .optional(),
  PROXY_PROTOCOL_FROM: addressList,
  PROXY_PROTOCOL_TIMEOUT_MS: integer(5_000, 100, 60_000),
  SHUTDOWN_GRACE_SECONDS: integer(10, 0, 600),
  WORKERS: integer(1, 1, 64),
  METRICS_PORT: integer(9464, 0, 65535),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_ENABLED: z.enum(['true', 'false']).default('true'),
  TRANSFER_CUTOFF: z
    .string()
    .default('15:00')
    .refine((value) => value === 'none' || isCutoff(value), 'must be a time HH:MM (00:00–23:59) or none'),
  SCHEDULER_INTERVAL_SECONDS: integer(60, 0, 3600),
  AUDIT_RETENTION_DAYS: integer(0, 0, 36_500),
  AUDIT_ARCHIVE_DIR: z.string().min(1).optional(),
  PUBLIC_API_URL: publicUrl,
  PUBLIC_ENROLL_URL: publicUrl,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type PasswordExpiryMode = 'soft' | 'enforce';

export interface GatewayConfig {
  env: 'development' | 'production' | 'test';
  production: boolean;
  listenHost: string;
  apiPort: number;
  enrollPort: number;
  /**
   * A database that stops answering must not hang requests (they answer 503 instead): a query
   * gets `queryTimeoutMs` (MySQL: the connection is then dropped; SQLite: the busy timeout), a new
   * connection `connectTimeoutMs`.
   */
  database: ({ kind: 'sqlite'; file: string } | { kind: 'mysql'; url: string }) & { queryTimeoutMs: number; connectTimeoutMs: number };
  pki: {
    certsDir: string;
    caCertPath: string;
    caKeyPath: string;
    serverCertPath: string;
    serverKeyPath: string;
    serverHostnames: string[];
    certificateValidityDays: number;
    renewalWarningDays: number;
    enrollmentCodeValidityDays: number;
  };
  auth: {
    lockoutThreshold: number;
    passwordMaxAgeDays: number;
    passwordExpiryWarningDays: number;
    passwordExpiryMode: PasswordExpiryMode;
    passwordMinLength: number;
    passwordHistory: number;
    hashConcurrency: number;
    /** How far below the event loop (nice) hashing threads run, on Linux. */
    hashNice: number;
    /**
     * How long a password check may hold its attempt slot. A slot whose check never recorded a
     * result (its process died, or its database write failed) is given back once this has passed.
     */
    passwordCheckLeaseSeconds: number;
    sessionIdleMinutes: number;
    sessionAbsoluteHours: number;
  };
  /** DESIGN.md §6.8: refused before execution (README "Security"). */
  graphql: {
    maxQueryDepth: number;
    maxBatchSize: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    maxCost: number;
    /**
     * The largest request body /graphql reads: a 10,000-line bulk transfer, as a base64 Zengin file
     * (~1.6 MB) or as JSON lines (up to ~2.1 MB), fits the default of 3 MiB.
     */
    maxBodyBytes: number;
  };
  refuseMobileBrowsers: boolean;
  proxy: {
    /**
     * R16: behind a bank-side TLS-terminating load balancer. Connections from these addresses may
     * pass the client certificate in `clientCertHeader`, in `clientCertFormat`; empty: mTLS only.
     */
    trustedProxies: string[];
    clientCertFormat: ClientCertFormat;
    clientCertHeader: string;
    /**
     * Behind a TCP load balancer (TLS passed through): connections from these addresses must
     * start with a PROXY protocol header (v1 or v2) naming the client, within `proxyProtocolTimeoutMs`;
     * empty: no header is read from anyone.
     */
    proxyProtocolFrom: string[];
    proxyProtocolTimeoutMs: number;
  };
  /** On SIGTERM/SIGINT, how long requests in flight may take to finish before they are cut off. */
  shutdownGraceSeconds: number;
  /** Gateway processes on the same ports (node:cluster); 1 runs no cluster. */
  workers: number;
  /** Prometheus metrics on their own plain-HTTP listener; null: off. */
  metrics: { port: number; host: string } | null;
  transfers: {
    /**
     * The time of day (Asia/Tokyo) from which a transfer made on a business day runs on the next
     * one (予約扱い); null: every transfer runs the moment it is made, on any day (24-hour operation).
     */
    cutoff: CutoffTime | null;
    /** How often each instance executes the transfers whose day has come; 0: never (another instance does). */
    schedulerIntervalSeconds: number;
  };
  audit: {
    /**
     * Events from before the start (Asia/Tokyo) of the day this many days ago are archived and then
     * pruned from the database (audit/audit-retention.service.ts); 0: every event is kept.
     */
    retentionDays: number;
    /** The archive's folder: one JSON Lines file per chain; the same folder for every instance that prunes. */
    archiveDir: string;
  };
  /**
   * Where each listener is reached from outside, for the pages that send a person from one to the
   * other (null: this host with the listener's own port).
   */
  publicUrls: { api: string | null; enroll: string | null };
  logLevel: string;
}

export class ConfigError extends Error {}

/** `a, b,,c` → ['a', 'b', 'c']. */
function commaList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message} (got ${JSON.stringify(env[name])})`);
  }
  const v = parsed.data;
  const production = v.NODE_ENV === 'production';
  const certsDir = path.resolve(v.CERTS_DIR);
  const inCerts = (file: string) => path.join(certsDir, file);
  if (production) {
    // In production the bank's CA and server material are never generated: they must be named.
    for (const name of ['CA_CERT_PATH', 'CA_KEY_PATH', 'SERVER_CERT_PATH', 'SERVER_KEY_PATH'] as const) {
      if (!v[name]) throw new ConfigError(`Invalid configuration: ${name} is required when NODE_ENV=production`);
    }
    // Events leave the database only for a folder the bank chose (and backs up).
    if (v.AUDIT_RETENTION_DAYS > 0 && !v.AUDIT_ARCHIVE_DIR) {
      throw new ConfigError(
        'Invalid configuration: AUDIT_ARCHIVE_DIR is required when NODE_ENV=production and AUDIT_RETENTION_DAYS is set',
      );
    }
  }
  const trustedProxies = commaList(v.TRUSTED_PROXIES);
  const proxyProtocolFrom = commaList(v.PROXY_PROTOCOL_FROM);
  // A balancer that passes TLS through carries its clients' bytes, headers included: if its address
  // were also a trusted proxy, anyone behind it could name a certificate in a header.
  const balancers = parseRanges(proxyProtocolFrom);
  const both = trustedProxies.find((proxy) => balancers.some((balancer) => rangesOverlap(parseRanges([proxy])[0], balancer)));
  if (both) {
    throw new ConfigError(
      `Invalid configuration: TRUSTED_PROXIES and PROXY_PROTOCOL_FROM share ${both}; a TLS-passthrough balancer cannot also be a TLS-terminating proxy`,
    );
  }
  return {
    env: v.NODE_ENV,
    production,
    listenHost: v.LISTEN_HOST,
    apiPort: v.API_PORT,
    enrollPort: v.ENROLL_PORT,
    database: {
      ...(v.DATABASE_URL.startsWith('sqlite:')
        ? { kind: 'sqlite' as const, file: path.resolve(v.DATABASE_URL.slice('sqlite:'.length)) }
        : { kind: 'mysql' as const, url: v.DATABASE_URL.replace(/^mariadb:/, 'mysql:') }),
      queryTimeoutMs: v.DATABASE_QUERY_TIMEOUT_MS,
      connectTimeoutMs: v.DATABASE_CONNECT_TIMEOUT_MS,
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
      trustedProxies,
      clientCertFormat: v.PROXY_CLIENT_CERT_FORMAT,
      clientCertHeader: v.PROXY_CLIENT_CERT_HEADER ?? CLIENT_CERT_HEADERS[v.PROXY_CLIENT_CERT_FORMAT],
      proxyProtocolFrom,
      proxyProtocolTimeoutMs: v.PROXY_PROTOCOL_TIMEOUT_MS,
    },
    shutdownGraceSeconds: v.SHUTDOWN_GRACE_SECONDS,
    workers: v.WORKERS,
    metrics: v.METRICS_ENABLED === 'true' ? { port: v.METRICS_PORT, host: v.METRICS_HOST } : null,
    transfers: {
      cutoff: v.TRANSFER_CUTOFF === 'none' ? null : parseCutoffTime(v.TRANSFER_CUTOFF),
      schedulerIntervalSeconds: v.SCHEDULER_INTERVAL_SECONDS,
    },
    audit: { retentionDays: v.AUDIT_RETENTION_DAYS, archiveDir: path.resolve(v.AUDIT_ARCHIVE_DIR ?? 'data/audit-archive') },
    publicUrls: { api: v.PUBLIC_API_URL?.replace(/\/$/, '') ?? null, enroll: v.PUBLIC_ENROLL_URL?.replace(/\/$/, '') ?? null },
    logLevel: v.LOG_LEVEL,
  };
}
