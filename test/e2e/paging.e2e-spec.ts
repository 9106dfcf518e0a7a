import { User } from '../../src/users/user.entity';
import { Contract } from '../../src/contract/contract.entity';
import { ACCOUNTS, APPROVE, CREATE_TRANSFER, atBusinessMorning, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

const STATEMENT = `query($accountId: Int!, $first: Int!, $before: Int, $from: String, $to: String) {
  statement(accountId: $accountId, first: $first, before: $before, from: $from, to: $to) { items { id businessDate } nextCursor }
}`;
const TRANSFERS = `query($first: Int!, $before: Int, $status: TransferStatus) {
  transfers(first: $first, before: $before, status: $status) { items { id status } nextCursor }
}`;
const AUDIT = `query($first: Int!, $before: Int, $contractId: Int, $userId: Int, $action: AuditAction, $from: DateTimeISO, $to: DateTimeISO) {
  auditEvents(first: $first, before: $before, contractId: $contractId, userId: $userId, action: $action, from: $from, to: $to) {
    items { id action contractId actorLoginId occurredAt } nextCursor
  }
}`;

type Page = { items: Array<{ id: number } & Record<string, any>>; nextCursor: number | null };

/**
 * Issue 8, defects 10 and 11: an ERP's paging loop starts with `before: null` and passes null
 * for every filter it does not use. Null means "not given": from the newest, no bound, no filter.
 */
describe('paging and optional filters, with nulls as partner software sends them', () => {
  let gw: TestGateway;
  let maker: GraphqlClient;
  let admin: GraphqlClient;
  let operator: GraphqlClient;
  let accountId: number;
  let contractId: number;
  let user01Id: number;

  /** One paginated field, read the way a client reads it. */
  interface Paged {
    name: string;
    client: () => GraphqlClient;
    query: string;
    field: string;
    variables: () => Record<string, unknown>;
  }
  const fields: Paged[] = [
    { name: 'statement', client: () => maker, query: STATEMENT, field: 'statement', variables: () => ({ accountId }) },
    { name: 'transfers', client: () => maker, query: TRANSFERS, field: 'transfers', variables: () => ({}) },
    { name: 'auditEvents (administrator)', client: () => admin, query: AUDIT, field: 'auditEvents', variables: () => ({}) },
    { name: 'auditEvents (operator)', client: () => operator, query: AUDIT, field: 'auditEvents', variables: () => ({}) },
  ];

  async function page(paged: Paged, variables: Record<string, unknown>): Promise<Page> {
    const response = await paged.client().query(paged.query, { ...paged.variables(), ...variables });
    expect(response.body.errors).toBeUndefined();
    return response.body.data[paged.field];
  }
  const ids = (p: Page) => p.items.map((item) => item.id);

  /** Follows nextCursor from `before: null` until the last page, as an ERP's loop does. */
  async function pageThrough(paged: Paged, first: number, variables: Record<string, unknown> = {}): Promise<number[][]> {
    const pages: number[][] = [];
    let before: number | null = null;
    do {
      const next = await page(paged, { ...variables, first, before });
      expect(next.items.length).toBeLessThanOrEqual(first);
      pages.push(ids(next));
      before = next.nextCursor;
    } while (before !== null && pages.length < 100);
    return pages;
  }

  beforeAll(async () => {
    gw = await TestGateway.start();
    // Transfers made now run now: a business day before the cut-off (bank-days.e2e-spec.ts covers the rest).
    atBusinessMorning(gw);
    maker = await sessionAs(gw, 'user01');
    const approver = await sessionAs(gw, 'user02');
    admin = await sessionAs(gw, 'admin01');
    operator = await sessionAs(gw, 'operator01');
    accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
    contractId = (await gw.gateway.services.db.writableManager.findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    user01Id = (await gw.gateway.services.db.writableManager.findOneByOrFail(User, { loginId: 'user01' })).id;
    // Five transfers, three of them approved (three more statement lines), so every list spans pages.
    for (let i = 0; i < 5; i++) {
      const created = await maker.query(CREATE_TRANSFER, {
        input: transferInput(accountId, 1000 + i),
        pw: gw.credentials('user01').confirmationPassword,
      });
      expect(created.body.errors).toBeUndefined();
      if (i < 3) {
        const approved = await approver.query(APPROVE, {
          id: created.body.data.createTransfer.id,
          pw: gw.credentials('user02').confirmationPassword,
        });
        expect(approved.body.errors).toBeUndefined();
      }
    }
  });
  afterAll(() => gw.stop());

  it('successful: before: null starts from the newest, exactly like an omitted before, for statement, transfers and auditEvents', async () => {
    for (const paged of fields) {
      const omitted = await page(paged, { first: 200 });
      const explicitNull = await page(paged, { first: 200, before: null });
      expect({ field: paged.name, ids: ids(explicitNull) }).toEqual({ field: paged.name, ids: ids(omitted) });
      expect(omitted.items.length).toBeGreaterThanOrEqual(5);
      expect(explicitNull.nextCursor).toBeNull();
    }
  });

  it('successful: pages from before: null follow nextCursor to the last one with no overlap and no gap', async () => {
    for (const paged of fields) {
      const all = ids(await page(paged, { first: 200 }));
      const pages = await pageThrough(paged, 2);
      expect({ field: paged.name, ids: pages.flat() }).toEqual({ field: paged.name, ids: all });
      expect(pages.length).toBe(Math.ceil(all.length / 2));
      // The first page is the same whether before is null or left out.
      expect(ids(await page(paged, { first: 2 }))).toEqual(pages[0]);
      // A real cursor continues exactly where the previous page stopped.
      const first = await page(paged, { first: 2, before: null });
      const second = await page(paged, { first: 2, before: first.nextCursor });
      expect(ids(second)).toEqual(all.slice(2, 4));
    }
  });

  it('successful: from and to given as null are no bound; a bound still filters', async () => {
    const statement = fields[0];
    const all = ids(await page(statement, { first: 200 }));
    expect(ids(await page(statement, { first: 200, from: null, to: null }))).toEqual(all);
    const lines = (await page(statement, { first: 200 })).items;
    const oldest = lines[lines.length - 1].businessDate;
    const newest = lines[0].businessDate;
    const fromOldest = (await page(statement, { first: 200, from: oldest, to: null })).items;
    expect(fromOldest.map((l) => l.id)).toEqual(all);
    const onlyNewestDay = lines.filter((l) => l.businessDate === newest).map((l) => l.id);
    expect(ids(await page(statement, { first: 200, from: newest, to: null }))).toEqual(onlyNewestDay);
    const upToOldest = lines.filter((l) => l.businessDate === oldest).map((l) => l.id);
    expect(ids(await page(statement, { first: 200, from: null, to: oldest }))).toEqual(upToOldest);
    expect(await pageThrough(statement, 2, { from: null, to: null })).toEqual(await pageThrough(statement, 2));

    for (const audit of fields.slice(2)) {
      const events = (await page(audit, { first: 200 })).items;
      expect(ids(await page(audit, { first: 200, from: null, to: null }))).toEqual(ids({ items: events, nextCursor: null }));
      const last = events[0].occurredAt;
      expect(ids(await page(audit, { first: 200, from: last, to: null }))).toEqual(
        events.filter((e) => e.occurredAt >= last).map((e) => e.id),
      );
      expect(ids(await page(audit, { first: 200, from: null, to: events[events.length - 1].occurredAt })).length).toBeGreaterThanOrEqual(1);
    }
  });

  it('successful: null filters mean no filter — auditEvents (contractId, userId, action, from, to) and transfers (status)', async () => {
    for (const audit of fields.slice(2)) {
      const all = ids(await page(audit, { first: 200 }));
      const allNull = { contractId: null, userId: null, action: null, from: null, to: null, before: null };
      expect(ids(await page(audit, { first: 200, ...allNull }))).toEqual(all);
      for (const name of Object.keys(allNull)) {
        const response = await audit.client().query(AUDIT, { first: 200, [name]: null });
        expect({ audit: audit.name, name, code: errorCode(response) }).toEqual({ audit: audit.name, name, code: undefined });
        expect(ids(response.body.data.auditEvents)).toEqual(all);
      }
      expect(await pageThrough(audit, 3, allNull)).toEqual(await pageThrough(audit, 3));
      // Given values still filter.
      const logins = (await page(audit, { first: 200, action: 'LOGIN', userId: null })).items;
      expect(logins.length).toBeGreaterThanOrEqual(1);
      expect(logins.every((e) => e.action === 'LOGIN')).toBe(true);
      const byUser01 = (await page(audit, { first: 200, userId: user01Id, action: null })).items;
      expect(byUser01.length).toBeGreaterThanOrEqual(5);
      expect(byUser01.every((e) => e.actorLoginId === 'user01')).toBe(true);
    }
    // The operator's one-contract filter still works beside a null one.
    const ofContract = (await page(fields[3], { first: 200, contractId, userId: null })).items;
    expect(ofContract.every((e) => e.contractId === contractId)).toBe(true);

    const transfers = fields[1];
    const all = ids(await page(transfers, { first: 200 }));
    expect(ids(await page(transfers, { first: 200, status: null }))).toEqual(all);
    expect(await pageThrough(transfers, 2, { status: null })).toEqual(await pageThrough(transfers, 2));
    const pending = (await page(transfers, { first: 200, status: 'PENDING_APPROVAL', before: null })).items;
    expect(pending.map((t) => t.status)).toEqual(['PENDING_APPROVAL', 'PENDING_APPROVAL']);
  });

  it('successful: emergencyStop(contractId: null) is an administrator’s own contract, and for an operator a clear BAD_USER_INPUT', async () => {
    const byOperator = await operator.query('mutation { emergencyStop(reason: "test", contractId: null) { id status } }');
    expect(errorCode(byOperator)).toBe('BAD_USER_INPUT');
    expect((await gw.gateway.services.db.writableManager.findOneByOrFail(Contract, { id: contractId })).status).toBe('ACTIVE');
    const byAdmin = await admin.query('mutation($c: Int) { emergencyStop(reason: "PC lost", contractId: $c) { id status } }', { c: null });
    expect(byAdmin.body.data.emergencyStop).toEqual({ id: contractId, status: 'STOPPED' });
  });
});
