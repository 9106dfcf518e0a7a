import { getNamedType, isLeafType, isNonNullType, isObjectType, type GraphQLObjectType } from 'graphql';
import { In, LessThan, type FindOptionsWhere } from 'typeorm';
import { Account } from '../../src/banking/accounts/account.entity';
import { OrderPages, type PageConditions } from '../../src/banking/orders/order-pages';
import { OrderStatus } from '../../src/banking/orders/order-status';
import { Transfer } from '../../src/banking/transfers/transfer.entity';
import { TRANSFER } from '../../src/banking/transfers/transfer.kind';
import { Contract } from '../../src/contract/contract.entity';
import { ByIdsRead } from '../../src/db/by-ids-read';
import { buildApiSchema } from '../../src/graphql/schema';
import { User } from '../../src/users/user.entity';
import { ACCOUNTS, APPROVE, CREATE_TRANSFER, REJECT, atBusinessMorning, bulkLines, transferInput } from '../helpers/banking';
import type { GraphqlClient } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { sessionAs } from '../helpers/lifecycle';

/**
 * The hand-written reads behind the transfers page and the loaders (order-pages.ts, by-ids-read.ts)
 * give exactly the entities TypeORM's find gave for the same conditions, in every shape they
 * prepare, on whichever engine the suite runs on.
 */
describe('prepared list reads, against TypeORM on the same database', () => {
  let gw: TestGateway;
  let contractId: number;
  let user01Id: number;
  let user02Id: number;
  let maker: GraphqlClient;
  let approver: GraphqlClient;

  beforeAll(async () => {
    gw = await TestGateway.start();
    atBusinessMorning(gw);
    maker = await sessionAs(gw, 'user01');
    approver = await sessionAs(gw, 'user02');
    const accountId = (await maker.query(ACCOUNTS)).body.data.accounts[0].id;
    // Six transfers by user01: two approved (executed), one rejected, three waiting.
    for (let i = 0; i < 6; i++) {
      const created = await maker.query(CREATE_TRANSFER, {
        input: transferInput(accountId, 1000 + i),
        pw: gw.credentials('user01').confirmationPassword,
      });
      expect(created.body.errors).toBeUndefined();
      const id = created.body.data.createTransfer.id;
      const pw = gw.credentials('user02').confirmationPassword;
      if (i < 2) expect((await approver.query(APPROVE, { id, pw })).body.errors).toBeUndefined();
      if (i === 2) expect((await approver.query(REJECT, { id, pw })).body.errors).toBeUndefined();
    }
    // Two bulk transfers, one of them approved.
    for (let i = 0; i < 2; i++) {
      const made = await maker.query(
        'mutation($lines: [BulkTransferLineInput!]!, $from: Int!, $pw: String!) { createBulkTransfer(lines: $lines, fromAccountId: $from, confirmationPassword: $pw) { id } }',
        { lines: bulkLines(2 + i, (n) => 2_000 + n), from: accountId, pw: gw.credentials('user01').confirmationPassword },
      );
      expect(made.body.errors).toBeUndefined();
      if (i === 0) {
        const approved = await approver.query(
          'mutation($id: Int!, $pw: String!) { approveBulkTransfer(bulkTransferId: $id, confirmationPassword: $pw) { id } }',
          { id: made.body.data.createBulkTransfer.id, pw: gw.credentials('user02').confirmationPassword },
        );
        expect(approved.body.errors).toBeUndefined();
      }
    }
    const manager = gw.gateway.services.db.writableManager;
    contractId = (await manager.findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    user01Id = (await manager.findOneByOrFail(User, { loginId: 'user01' })).id;
    user02Id = (await manager.findOneByOrFail(User, { loginId: 'user02' })).id;
    // A seventh by another maker (user02 has no TRANSFER permission, so written here): a page narrowed to a maker must skip it.
    const { id: _copied, ...copy } = await manager.findOneByOrFail(Transfer, { contractId, status: OrderStatus.PENDING_APPROVAL });
    await manager.insert(Transfer, { ...copy, makerUserId: user02Id });
  });
  afterAll(() => gw.stop());

  it('successful: every shape of a transfers page (maker, cursor, status, each given or not) reads what TypeORM reads', async () => {
    const { db } = gw.gateway.services;
    const pages = new OrderPages(db, TRANSFER);
    const all = await db.writableManager.find(Transfer, { where: { contractId }, order: { id: 'DESC' } });
    expect(all.length).toBe(7);
    const middle = all[3].id;
    const statuses = new Set(all.map((t) => t.status));
    expect(statuses).toEqual(new Set([OrderStatus.EXECUTED, OrderStatus.REJECTED, OrderStatus.PENDING_APPROVAL]));
    let compared = 0;
    for (const makerUserId of [undefined, user01Id, user02Id])
      for (const before of [undefined, middle])
        for (const status of [undefined, OrderStatus.PENDING_APPROVAL, OrderStatus.EXECUTED])
          for (const take of [2, 201]) {
            const conditions: PageConditions = { contractId, makerUserId, before, status };
            const where: FindOptionsWhere<Transfer> = { contractId };
            if (makerUserId !== undefined) where.makerUserId = makerUserId;
            if (before !== undefined) where.id = LessThan(before);
            if (status !== undefined) where.status = status;
            const expected = await db.writableManager.find(Transfer, { where, order: { id: 'DESC' }, take });
            const read = await pages.read(conditions, take);
            expect({ conditions, take, read }).toEqual({ conditions, take, read: expected });
            for (const transfer of read) expect(transfer).toBeInstanceOf(Transfer);
            compared += expected.length;
          }
    // The comparison saw rows, not only empty pages.
    expect(compared).toBeGreaterThan(50);
    // Another contract's page is empty.
    expect(await pages.read({ contractId: contractId + 1000 }, 200)).toEqual([]);
  });

  it('successful: a page read with some columns has exactly those (and the id) as the whole read has them, the rest undefined; past eight column sets, pages are read whole', async () => {
    const { db } = gw.gateway.services;
    const pages = new OrderPages(db, TRANSFER);
    const whole = await pages.read({ contractId }, 200);
    expect(whole.length).toBe(7);
    const wanted = new Set(['makerUserId', 'amount', 'createdAt', 'status']);
    const narrow = await pages.read({ contractId }, 200, wanted);
    expect(narrow.map((t) => ({ ...t }))).toEqual(
      whole.map((t) => ({ id: t.id, makerUserId: t.makerUserId, amount: t.amount, createdAt: t.createdAt, status: t.status })),
    );
    for (const transfer of narrow) expect(transfer).toBeInstanceOf(Transfer);
    // A property that is no column (here a relation's name) makes the read whole.
    expect(await pages.read({ contractId }, 200, new Set(['makerUserId', 'maker']))).toEqual(whole);
    // Eight sets in all (`wanted` was the first), each read narrow; the ninth is read whole.
    const others = ['payeeName', 'payeeId', 'executionDate', 'heldAt', 'failureCode', 'partnerName', 'holdRule', 'decidedAt'];
    for (const [i, property] of others.entries()) {
      const read = await pages.read({ contractId, makerUserId: user01Id }, 200, new Set([property]));
      const expected = whole.filter((t) => t.makerUserId === user01Id);
      if (i < 7)
        expect(read.map((t) => ({ ...t }))).toEqual(expected.map((t) => ({ id: t.id, [property]: t[property as keyof Transfer] })));
      else expect(read).toEqual(expected);
    }
    // A set read before still is.
    expect((await pages.read({ contractId }, 200, wanted)).map((t) => Object.keys({ ...t }).length)).toEqual(whole.map(() => 5));
  });

  it('successful: over HTTPS, each field of each kind of order asked for alone on a page answers what the page with every field answers', async () => {
    const schema = await buildApiSchema();
    /** Every field of `type` a query can ask for without arguments (or with `first`), two levels down. */
    const selection = (type: GraphQLObjectType, depth: number): string[] =>
      Object.values(type.getFields()).flatMap((field) => {
        const required = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
        if (required.some((arg) => arg.name !== 'first')) return [];
        const name = required.length ? `${field.name}(first: 2)` : field.name;
        const named = getNamedType(field.type);
        if (isLeafType(named)) return [name];
        if (!isObjectType(named) || depth === 0) return [];
        return [`${name} { ${selection(named, depth - 1).join(' ')} }`];
      });
    let comparedFields = 0;
    for (const [list, client] of [
      ['transfers', approver],
      ['transfers', maker],
      ['bulkTransfers', maker],
    ] as const) {
      const page = schema.getQueryType()!.getFields()[list].type;
      const item = getNamedType((getNamedType(page) as GraphQLObjectType).getFields().items.type) as GraphQLObjectType;
      const fields = selection(item, 2);
      const items = async (fieldsAsked: string) => {
        const answer = await client.query(`{ ${list}(first: 10) { items { ${fieldsAsked} } nextCursor } }`);
        expect(answer.body.errors).toBeUndefined();
        return answer.body.data[list].items as Array<Record<string, unknown>>;
      };
      const all = await items(fields.join(' '));
      expect(all.length).toBeGreaterThanOrEqual(2);
      for (const field of fields) {
        const name = field.split(/[ (]/)[0];
        const alone = await items(`id ${field}`);
        expect({ list, name, values: alone.map((i) => [i.id, i[name]]) }).toEqual({ list, name, values: all.map((i) => [i.id, i[name]]) });
        comparedFields++;
      }
      // And the bench's query: ids and relations only.
      const relations = await items('id maker { loginId } approver { loginId } account { accountNumber }');
      expect(relations).toEqual(
        all.map(({ id, maker, approver, account }) => ({
          id,
          maker: { loginId: (maker as { loginId: string }).loginId },
          approver: approver && { loginId: (approver as { loginId: string }).loginId },
          account: { accountNumber: (account as { accountNumber: string }).accountNumber },
        })),
      );
    }
    expect(comparedFields).toBeGreaterThan(60);
    // The page, its makers and approvers, and its accounts: one statement each, however many rows.
    const counter = gw.gateway.services.db.queryCounter;
    const statements = async (query: string) => {
      const before = counter.count;
      expect((await approver.query(query)).body.errors).toBeUndefined();
      return counter.count - before;
    };
    const asked = (first: number) =>
      `{ transfers(first: ${first}) { items { id maker { loginId } approver { loginId } account { accountNumber } } } }`;
    const bare = await statements('{ __typename }');
    expect([await statements(asked(2)), await statements(asked(10))]).toEqual([bare + 3, bare + 3]);
  });

  it('successful: users and accounts by id, for any number of ids (repeated, unknown, past the largest prepared list), as findBy gives them', async () => {
    const { db } = gw.gateway.services;
    const users = await db.writableManager.find(User, { order: { id: 'ASC' } });
    const accounts = await db.writableManager.find(Account, { order: { id: 'ASC' } });
    const byId = <T extends { id: number }>(rows: T[]) => [...rows].sort((a, b) => a.id - b.id);
    const cases = (ids: number[]) => [
      [ids[0]],
      ids.slice(0, 2),
      ids.slice(0, 3),
      [...ids, ...ids],
      [...ids, 987_654],
      Array.from({ length: 600 }, (_, i) => ids[i % ids.length] + (i >= ids.length ? 100_000 + i : 0)),
    ];
    for (const [target, rows] of [
      [User, users],
      [Account, accounts],
    ] as const) {
      expect(rows.length).toBeGreaterThan(1);
      const read = new ByIdsRead<{ id: number }>(db, target, 'relation');
      for (const ids of cases(rows.map((r) => r.id))) {
        const expected = await db.writableManager.findBy(target, { id: In(ids) });
        expect(byId(await read.read(ids))).toEqual(byId(expected));
        expect(expected.length).toBeGreaterThan(0);
      }
    }
  });
  it("successful: a contract's page of each kind of order, newest first, with and without a cursor, is read from an index, not sorted (EXPLAIN on the suite's engine)", async () => {
    const { db } = gw.gateway.services;
    const sqlite = db.isSqlite;
    const plans: Record<string, string> = {};
    for (const table of ['transfers', 'bulk_transfers', 'salary_transfers']) {
      for (const cursor of ['', ' AND o.id < 1000000']) {
        const sql = `SELECT o.* FROM ${table} o WHERE o.contractId = ${contractId}${cursor} ORDER BY o.id DESC LIMIT 100`;
        const rows: Array<Record<string, unknown>> = await db.manager.query(`${sqlite ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN'} ${sql}`);
        // SQLite says USE TEMP B-TREE FOR ORDER BY, MySQL/MariaDB "Using filesort", when they sort.
        plans[`${table}${cursor ? ' before a cursor' : ''}`] = rows.map((row) => String(sqlite ? row.detail : row.Extra)).join('; ');
      }
    }
    for (const [page, plan] of Object.entries(plans))
      expect({ page, sorts: /TEMP B-TREE|filesort/i.test(plan) }).toEqual({ page, sorts: false });
  });
});
