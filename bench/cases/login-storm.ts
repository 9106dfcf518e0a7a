// The login storm: BENCH_STORM_USERS (200) users with ECDSA P-256 certificates of their own log
// in at once, each on its own connection — alone (against raw argon2id verifies per second), then
// with user01's whoami on 10 connections meanwhile (its throughput against whoami alone).
import crypto from 'node:crypto';
import { verify as argon2Verify } from '@node-rs/argon2';
import { Contract } from '../../src/contract/contract.entity';
import type { Gateway } from '../../src/gateway';
import { Role, User } from '../../src/users/user.entity';
import { newUserRecord } from '../../src/users/user.factory';
import type { BenchRun } from '../harness/bench-run';
import { CONNECTIONS, LOGIN, pool, post, SECONDS, WHOAMI, type ClientTls } from '../harness/load';
import type { BenchCase } from '../harness/report';
import type { ServerProcess } from '../harness/servers';

const STORM_USERS = Number(process.env.BENCH_STORM_USERS ?? 200);
const STORM_PIN = 'Storm-Pin-2026';

/** A user of the storm: an ECDSA P-256 certificate of the bank CA (one PIN for all of them). */
export interface StormUser {
  certificatePem: string;
  privateKeyPem: string;
}

/** The storm's users, made once per run (the ECDSA handshake cases present their certificates too). */
export const stormUsersOf = (bench: BenchRun): Promise<StormUser[]> =>
  bench.once('stormUsers', async () => (await bench.gateway()).call<StormUser[]>('stormUsers', STORM_USERS));

/** The first storm user's certificate: an ECDSA P-256 client. */
export const ecdsaClient = async (bench: BenchRun): Promise<ClientTls> => {
  const [first] = await stormUsersOf(bench);
  return { ca: bench.tls.ca, cert: first.certificatePem, key: first.privateKeyPem };
};

interface StormResult {
  users: number;
  logins: number;
  refused: Record<string, number>;
  loginsPerSecond: number;
  eventLoopP99Ms: number;
  /** user01's whoami per second during the storm (0 when the storm ran alone). */
  whoamiDuring: number;
}

/**
 * The users log in at once, each on a connection of its own (opened before), and — with
 * `whoamiTls` — user01 keeps asking whoami on 10 connections meanwhile: logins per second, the
 * event loop's delay, and whoami's throughput.
 */
async function loginStorm(gateway: ServerProcess, users: StormUser[], ca: string, whoamiTls?: ClientTls): Promise<StormResult> {
  const body = { query: LOGIN, variables: { pin: STORM_PIN } };
  const pools = users.map((u) => pool(gateway.origin, { ca, cert: u.certificatePem, key: u.privateKeyPem }));
  await Promise.all(pools.map((clients) => post(clients, JSON.parse(WHOAMI)))); // connections open before the storm
  const whoamiPool = whoamiTls && pool(gateway.origin, whoamiTls, CONNECTIONS);
  let stormOver = false;
  let whoamis = 0;
  const whoamiLoop = async () => {
    while (whoamiPool && !stormOver) {
      const answer = await post(whoamiPool, JSON.parse(WHOAMI));
      if (answer.data) whoamis++;
    }
  };
  await gateway.call('eventLoopStart');
  const started = Date.now();
  const whoamiLoops = Array.from({ length: CONNECTIONS }, whoamiLoop);
  const answers = await Promise.all(pools.map((clients) => post(clients, body)));
  const seconds = (Date.now() - started) / 1000;
  stormOver = true;
  await Promise.all(whoamiLoops);
  const eventLoopP99Ms = await gateway.call<number>('eventLoopStop');
  await Promise.all([...pools, ...(whoamiPool ? [whoamiPool] : [])].map((clients) => clients.close()));
  const refused: Record<string, number> = {};
  for (const answer of answers) {
    const code = (answer.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code;
    if (code) refused[code] = (refused[code] ?? 0) + 1;
  }
  const logins = answers.filter((a) => a.data?.login?.token).length;
  return { users: users.length, logins, refused, loginsPerSecond: logins / seconds, eventLoopP99Ms, whoamiDuring: whoamis / seconds };
}

export const loginStormCase: BenchCase = {
  name: 'login-storm',
  about: `${STORM_USERS} users (BENCH_STORM_USERS) log in at once, alone and beside another user's whoami`,
  table: false,
  async run(bench) {
    const whoamiBefore = (await bench.whoamiAlone()).perSecond;
    const gateway = await bench.gateway();
    const stormers = await stormUsersOf(bench);
    const rawVerifies = await gateway.call<number>('rawVerifies');
    const storm = await loginStorm(gateway, stormers, bench.tls.ca);
    const withWhoami = await loginStorm(gateway, stormers, bench.tls.ca, bench.tls);
    const refused = (r: StormResult) => (Object.keys(r.refused).length ? ` (refused: ${JSON.stringify(r.refused)})` : '');
    return {
      sections: { storm: { rawVerifiesPerSecond: rawVerifies, alone: storm, withWhoami, whoamiWithout: whoamiBefore } },
      text:
        `login storm: ${storm.users} users (ECDSA P-256 certificates) log in at once, each on its own connection:` +
        `\n  alone:              ${storm.logins} logged in${refused(storm)}, ${storm.loginsPerSecond.toFixed(1)}/s` +
        ` = ${(storm.loginsPerSecond / rawVerifies).toFixed(2)}× raw argon2id (${rawVerifies.toFixed(1)} verifies/s); event loop p99 ${storm.eventLoopP99Ms.toFixed(1)} ms` +
        `\n  with user01's whoami on ${CONNECTIONS} connections: ${withWhoami.logins} logged in${refused(withWhoami)}, ${withWhoami.loginsPerSecond.toFixed(1)}/s;` +
        ` event loop p99 ${withWhoami.eventLoopP99Ms.toFixed(1)} ms; whoami ${withWhoami.whoamiDuring.toFixed(0)} req/s` +
        ` = ${(withWhoami.whoamiDuring / whoamiBefore).toFixed(2)}× its own without the storm`,
    };
  },
};

/** In the gateway's process: `count` users with certificates of their own, as enrollment would leave them (one hash computed, shared). */
export async function createStormUsers(gateway: Gateway, count: number): Promise<StormUser[]> {
  const { db, passwords, certificates, pki } = gateway.services;
  const contract = await db.writableManager.findOneByOrFail(Contract, { code: 'DEMO0001' });
  const hash = await passwords.hash(STORM_PIN);
  const now = new Date();
  const users: StormUser[] = [];
  for (let i = 0; i < count; i++) {
    const keys = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicKeyPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const certificatePem = pki.ca.issueClientCertificate(
      publicKeyPem,
      { commonName: `storm${i}`, organization: 'Demo Corporation' },
      now,
      365,
    );
    await db.transaction(async (m) => {
      const record = newUserRecord(
        { loginId: `storm${i}`, displayName: `Storm ${i}`, role: Role.USER, contractId: contract.id },
        { loginPasswordHash: hash, confirmationPasswordHash: hash, temporary: false },
        now,
      );
      const user = await m.save(m.create(User, record));
      await certificates.recordIssued(m, user.id, certificatePem);
    });
    users.push({ certificatePem, privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
  }
  return users;
}

/** In the gateway's process: argon2id verifications per second with the gateway's parameters and concurrency, and nothing else. */
export async function rawVerifiesPerSecond(gateway: Gateway): Promise<number> {
  const hash = await gateway.services.passwords.hash(STORM_PIN);
  const end = Date.now() + SECONDS * 1000;
  let done = 0;
  const worker = async () => {
    for (; Date.now() < end; done++) await argon2Verify(hash, STORM_PIN);
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: gateway.services.config.auth.hashConcurrency }, worker));
  return done / ((Date.now() - started) / 1000);
}
