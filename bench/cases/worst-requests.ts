// The heaviest requests — an administrator's download of a ~50,000-event audit log, the bulk
// transfer's 10,000-line result file (both streamed a page at a time), the largest list page — each
// repeated on one connection while user01 asks whoami on ten: what one costs, and what it does to
// everyone else's p99.
import crypto from 'node:crypto';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent, AuditOutcome } from '../../src/audit/audit-event.entity';
import { Contract } from '../../src/contract/contract.entity';
import type { Gateway } from '../../src/gateway';
import { worstRequest, type HeavyRequest, type WorstRequestResult } from '../harness/beside';
import { CONNECTIONS, login } from '../harness/load';
import type { BenchCase } from '../harness/report';
import { bulkTransferOf } from './bulk-transfer';
import { ensureTransfers, LARGEST_PAGE, listQuery } from './lists';

const AUDIT_EVENTS = 49_900; // the logins of the run add a few

export const worstRequestsCase: BenchCase = {
  name: 'worst-requests',
  about: "the heaviest requests allowed (audit-log and bulk result downloads, largest list page), with another user's whoami p99 meanwhile",
  table: false,
  async run(bench) {
    const whoamiAlone = await bench.whoamiAlone();
    const bulk = await bulkTransferOf(bench);
    await ensureTransfers(bench);
    const gateway = await bench.gateway();
    const auditEvents = await gateway.call<number>('auditEvents', AUDIT_EVENTS);
    const adminTls = bench.identity('admin01');
    const approverTls = bench.identity('user02');
    const admin = `Bearer ${await login(gateway.origin, adminTls, bench.credentials('admin01').loginPassword)}`;
    const approver = `Bearer ${await login(gateway.origin, approverTls, bench.credentials('user02').loginPassword)}`;
    const heavy: HeavyRequest[] = [
      {
        name: `audit-log download of ${auditEvents.toLocaleString('en')} events`,
        tls: adminTls,
        authorization: admin,
        download: '/downloads/audit-log',
      },
      {
        name: `bulk result download of ${bulk.lines.toLocaleString('en')} lines`,
        tls: approverTls,
        authorization: approver,
        download: `/downloads/bulk-transfer/${bulk.id}/result`,
      },
      {
        name: `transfers, ${LARGEST_PAGE} rows with relations`,
        tls: approverTls,
        authorization: approver,
        body: listQuery(LARGEST_PAGE),
      },
    ];
    const worst: WorstRequestResult[] = [];
    for (const request of heavy) worst.push(await worstRequest(gateway.origin, bench.tls, request));
    return {
      sections: { worst },
      text:
        `worst allowed requests, each repeated on one connection while user01's whoami runs on ${CONNECTIONS} (whoami alone: p99 ${whoamiAlone.p99.toFixed(1)} ms, ${whoamiAlone.perSecond.toFixed(0)} req/s):` +
        worst
          .map(
            (w) =>
              `\n  ${w.name.padEnd(44)} alone ${w.aloneMs.mean.toFixed(0)} ms (max ${w.aloneMs.max.toFixed(0)}); whoami meanwhile p99 ${w.whoamiDuring.p99.toFixed(1)} ms, ${w.whoamiDuring.perSecond.toFixed(0)} req/s`,
          )
          .join(''),
    };
  },
};

/** In the gateway's process: brings the demo contract's audit log up to `total` events (filler rows outside any hash chain: the export reads them all the same). */
export async function growAuditLog(gateway: Gateway, total: number): Promise<number> {
  const { db } = gateway.services;
  const contract = await db.writableManager.findOneByOrFail(Contract, { code: 'DEMO0001' });
  for (let have = await db.writableManager.countBy(AuditEvent, { contractId: contract.id }); have < total;) {
    const batch = Math.min(1_000, total - have);
    const events = Array.from({ length: batch }, (_, i) => ({
      occurredAt: new Date(),
      action: AuditAction.LOGIN,
      outcome: AuditOutcome.SUCCESS,
      contractId: contract.id,
      actorUserId: 1,
      actorLoginId: 'user01',
      certificateFingerprint: crypto.randomBytes(32).toString('hex'),
      sourceAddress: '127.0.0.1',
      detail: JSON.stringify({ bench: have + i }),
    }));
    await db.writableManager.createQueryBuilder().insert().into(AuditEvent).values(events).updateEntity(false).execute();
    have += batch;
  }
  return db.writableManager.countBy(AuditEvent, { contractId: contract.id });
}
