// Data scale: the same whoami with 1,000 and with BENCH_SCALE_USERS (100,000) users and
// certificates in the tables — the identity lookup must not grow with them.
import crypto from 'node:crypto';
import { MoreThan } from 'typeorm';
import { Contract } from '../../src/contract/contract.entity';
import type { Gateway } from '../../src/gateway';
import { Certificate, RevocationStatus } from '../../src/pki/certificate.entity';
import { Role, User } from '../../src/users/user.entity';
import { newUserRecord } from '../../src/users/user.factory';
import { load, WHOAMI, type Result } from '../harness/load';
import type { BenchCase } from '../harness/report';

const SCALE_USERS = Number(process.env.BENCH_SCALE_USERS ?? 100_000);

export const dataScale: BenchCase = {
  name: 'data-scale',
  about: `whoami with 1,000 and with ${SCALE_USERS.toLocaleString('en')} users and certificates (BENCH_SCALE_USERS)`,
  table: true,
  async run(bench) {
    const gateway = await bench.gateway();
    const rows: Result[] = [];
    for (const users of [1_000, SCALE_USERS]) {
      await gateway.call('users', users);
      rows.push(await load(`whoami, ${users.toLocaleString('en')} users`, gateway.origin, bench.tls, WHOAMI));
    }
    const [small, large] = rows;
    return {
      rows,
      text: `data scale: whoami p99 with ${SCALE_USERS.toLocaleString('en')} users ÷ with 1,000 = ${(large.p99 / small.p99).toFixed(2)}`,
    };
  },
};

/**
 * In the gateway's process: brings the number of users (each with an active certificate) up to
 * `total`, rows as the services write them, inserted in batches (hashes and fingerprints are
 * filler, no one logs in as these users).
 */
export async function growUsers(gateway: Gateway, total: number): Promise<number> {
  const { db } = gateway.services;
  const contract = await db.writableManager.findOneByOrFail(Contract, { code: 'DEMO0001' });
  const now = new Date();
  const year = new Date(now.getTime() + 365 * 86_400_000);
  for (let have = await db.writableManager.count(User); have < total;) {
    const batch = Math.min(1_000, total - have);
    await db.transaction(async (m) => {
      const users = Array.from({ length: batch }, (_, i) =>
        newUserRecord(
          { loginId: `scale${have + i}`, displayName: `Scale ${have + i}`, role: Role.USER, contractId: contract.id },
          { loginPasswordHash: 'x', confirmationPasswordHash: 'x', temporary: false },
          now,
        ),
      );
      const before: number = (await m.createQueryBuilder(User, 'u').select('MAX(u.id)', 'max').getRawOne()).max;
      // Without reading the inserted rows back (TypeORM would, in one SELECT with a term per row).
      await m.createQueryBuilder().insert().into(User).values(users).updateEntity(false).execute();
      const inserted = await m.find(User, { select: { id: true }, where: { id: MoreThan(before) }, order: { id: 'ASC' } });
      const certificates = inserted.map(({ id: userId }) => ({
        userId,
        activeUserId: userId,
        fingerprint: crypto.randomBytes(32).toString('hex'),
        serialNumber: crypto.randomBytes(16).toString('hex').toUpperCase(),
        issuer: 'CN=Bench',
        subject: `CN=scale${userId}`,
        notBefore: now,
        notAfter: year,
        status: RevocationStatus.ACTIVE,
        revokedAt: null,
        revocationReason: null,
        createdAt: now,
      }));
      await m.createQueryBuilder().insert().into(Certificate).values(certificates).updateEntity(false).execute();
    });
    have += batch;
  }
  return db.writableManager.count(User);
}
