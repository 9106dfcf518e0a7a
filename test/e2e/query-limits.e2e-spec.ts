import { getIntrospectionQuery } from 'graphql';
import { Role, User } from '../../src/users/user.entity';
import { Session } from '../../src/auth/session.entity';
import { LOGIN, loginAsPartner } from '../helpers/auth';
import { atBusinessMorning, bulkLines, CREATE_TRANSFER, transferInput } from '../helpers/banking';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { registerIdentity } from '../helpers/identities';
import { sessionAs } from '../helpers/lifecycle';

const limitOf = (response: GraphqlResponse) => response.body.errors?.find((e) => e.extensions?.limit)?.extensions;

/** DESIGN.md §6.8: abuse is refused before execution, with a 4xx and a clear code. */
describe('query limits', () => {
  let gw: TestGateway;
  let user: GraphqlClient;

  beforeAll(async () => {
    gw = await TestGateway.start();
    atBusinessMorning(gw);
    user = await sessionAs(gw, 'user01');
  });
  afterAll(() => gw.stop());

  const db = () => gw.gateway.services.db;
  /** SQL statements a request costs; a refusal before execution costs what `{ __typename }` does (identity and session). */
  async function statementsOf(request: () => Promise<GraphqlResponse>): Promise<{ response: GraphqlResponse; statements: number }> {
    const before = db().queryCounter.count;
    const response = await request();
    return { response, statements: db().queryCounter.count - before };
  }

  it('failing: a selection deeper than MAX_QUERY_DEPTH is a 400 BAD_USER_INPUT naming the limit, not a 500', async () => {
    const deep = `{ whoami ${'{ certificate '.repeat(11)}{ serialNumber }${' }'.repeat(11)} }`;
    const response = await user.query(deep);
    expect(response.status).toBe(400);
    expect(limitOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'DEPTH' });
    expect(JSON.stringify(response.body)).not.toContain('INTERNAL');
  });

  it('failing: 1,000 (or 21) aliased `accounts` are refused before any of them runs', async () => {
    const baseline = await statementsOf(() => user.query('{ __typename }'));
    const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: accounts { id balance }`).join(' ')} }`;
    // 1,000 aliases are already too many tokens to parse; 21 are too many aliases.
    for (const [count, limit] of [
      [1000, 'TOKENS'],
      [21, 'ALIASES'],
    ] as const) {
      const { response, statements } = await statementsOf(() => user.query(aliased(count)));
      expect(response.status).toBe(400);
      expect(limitOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', limit });
      expect(response.body.data).toBeUndefined();
      expect(statements).toBe(baseline.statements);
    }
    expect((await user.query(aliased(20))).body.errors).toBeUndefined();
  });

  it('failing: too many tokens, directives or too high a cost are refused with the limit named', async () => {
    const tokens = await user.query(`{ whoami { ${'loginId '.repeat(2500)}} }`);
    expect(tokens.status).toBe(400);
    expect(limitOf(tokens)).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'TOKENS' });

    const directives = await user.query(`{ whoami { ${Array.from({ length: 21 }, () => 'loginId @include(if: true)').join(' ')} } }`);
    expect(directives.status).toBe(400);
    expect(directives.body.errors!.some((e) => e.extensions?.limit === 'DIRECTIVES')).toBe(true);

    const everything =
      'items { id amount payeeName status maker { id loginId displayName } approver { id loginId displayName } account { id branchCode branchName accountNumber holderName balance } }';
    const costly = await user.query(
      `{ ${Array.from({ length: 20 }, (_, i) => `t${i}: transfers(first: 200) { ${everything} }`).join(' ')} }`,
    );
    expect(costly.status).toBe(400);
    expect(limitOf(costly)).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'COST' });
  });

  it('successful: an ordinary page of transfers with its relations, and GraphiQL’s introspection, pass every limit', async () => {
    const page = await user.query(
      '{ transfers(first: 50) { items { id amount status maker { loginId } approver { loginId } account { id balance } } nextCursor } }',
    );
    expect(page.body.errors).toBeUndefined();
    const introspection = await user.query(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.body.data.__schema.queryType.name).toBe('Query');
  });

  describe('the cost counts page sizes sent as variables, and a batch’s operations together', () => {
    const LINES = 'items { lineNumber payeeName amount } nextCursor';
    const aliasedLines = (count: number) =>
      `query Lines($id: Int!, $n: Int!) { ${Array.from({ length: count }, (_, i) => `b${i}: bulkTransfer(id: $id) { lines(first: $n) { ${LINES} } }`).join(' ')} }`;
    const batch = (size: number, query: string, variables: Record<string, unknown>) =>
      user.request('/graphql', { body: JSON.stringify(Array.from({ length: size }, () => ({ query, variables }))) });
    const bodiesOf = (response: GraphqlResponse) => response.body as unknown as Array<GraphqlResponse['body']>;
    let bulkId: number;

    beforeAll(async () => {
      const made = await user.query(
        'mutation($lines: [BulkTransferLineInput!]!, $pw: String!) { createBulkTransfer(lines: $lines, fromAccountId: 1, confirmationPassword: $pw) { id lineCount } }',
        { lines: bulkLines(150, () => 100), pw: gw.credentials('user01').confirmationPassword },
      );
      expect(made.body.errors).toBeUndefined();
      bulkId = made.body.data.createBulkTransfer.id;
    });

    it('failing: 10 operations × 20 aliases of lines(first: $n) with $n = 1000 are refused before any of them runs (400, COST)', async () => {
      const baseline = await statementsOf(() => batch(10, '{ __typename }', {}));
      const { response, statements } = await statementsOf(() => batch(10, aliasedLines(20), { id: bulkId, n: 1000 }));
      expect(response.status).toBe(400);
      const bodies = bodiesOf(response);
      expect(bodies).toHaveLength(10);
      for (const body of bodies) {
        expect(body.data).toBeUndefined();
        expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'COST', maxCost: gw.config.graphql.maxCost });
        expect(body.errors![0].extensions!.cost).toBeGreaterThan(gw.config.graphql.maxCost);
      }
      // Identity and session once for the request; not one line read.
      expect(statements).toBe(baseline.statements);
    });

    it('failing: one operation asking for 20 pages of 1,000 lines through a variable is refused like the same with a literal', async () => {
      for (const response of [
        await user.query(aliasedLines(20), { id: bulkId, n: 1000 }),
        await user.query(aliasedLines(20).replace(', $n: Int!', '').replace(/\$n/g, '1000'), { id: bulkId }),
      ]) {
        expect(response.status).toBe(400);
        expect(limitOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'COST' });
        expect(response.body.data).toBeUndefined();
      }
    });

    it('failing: a batch whose operations each fit is held to one budget: those past it are refused with COST', async () => {
      const one = 1 + (1 + 1 + 3 + 1) * 1000; // bulkTransfer, lines × 1000 (page, items, three fields, cursor)
      const fit = Math.floor(gw.config.graphql.maxCost / one);
      const bodies = bodiesOf(await batch(10, aliasedLines(1), { id: bulkId, n: 1000 }));
      expect(bodies.filter((body) => body.data?.b0?.lines?.items?.length === 150)).toHaveLength(fit);
      const refused = bodies.filter((body) => body.errors?.[0]?.extensions?.limit === 'COST');
      expect(refused).toHaveLength(10 - fit);
      expect(refused[0].errors![0].message).toMatch(/batch/);
    });

    it('successful: paging through the lines 100 at a time with variables works as before', async () => {
      const seen: number[] = [];
      let after: number | null = null;
      do {
        const response: GraphqlResponse = await user.query(
          `query($id: Int!, $n: Int!, $after: Int) { bulkTransfer(id: $id) { lines(first: $n, after: $after) { ${LINES} } } }`,
          { id: bulkId, n: 100, after },
        );
        expect(response.body.errors).toBeUndefined();
        const page = response.body.data.bulkTransfer.lines;
        seen.push(...page.items.map((line: { lineNumber: number }) => line.lineNumber));
        after = page.nextCursor;
      } while (after !== null);
      expect(seen).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    });
  });

  describe('at most one password check per operation and per batch', () => {
    const failedAttempts = async (loginId: string) => (await db().manager.findOneByOrFail(User, { loginId })).failedAttempts;
    const openSessions = async (loginId: string) => {
      const { id } = await db().manager.findOneByOrFail(User, { loginId });
      return db().manager.countBy(Session, { activeUserId: id });
    };

    it('failing: 100 aliased logins with the right PIN run no hash and open no session', async () => {
      const client = gw.asUser('user02');
      const pin = gw.credentials('user02').loginPassword;
      const sessionsBefore = await openSessions('user02');
      for (const count of [2, 100]) {
        const document = `mutation { ${Array.from({ length: count }, (_, i) => `l${i}: login(pin: "${pin}") { token }`).join(' ')} }`;
        const response = await client.query(document);
        expect(response.status).toBe(400);
        expect(limitOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', limit: count > 20 ? 'ALIASES' : 'PASSWORD_CHECKS' });
        expect(JSON.stringify(response.body)).not.toContain('token');
      }
      expect(await openSessions('user02')).toBe(sessionsBefore);
    });

    it('failing: a login beside a confirmation password (through a fragment) is refused before either is checked', async () => {
      const before = await failedAttempts('user01');
      const document = `mutation($i: CreateTransferInput!) { login(pin: "Wrong1x") { token } ...pay }
        fragment pay on Mutation { createTransfer(input: $i, confirmationPassword: "Wrong2x") { id } }`;
      const response = await user.query(document, { i: transferInput(1, 1000) });
      expect(limitOf(response)).toMatchObject({ limit: 'PASSWORD_CHECKS' });
      expect(await failedAttempts('user01')).toBe(before);
    });

    it('failing: an array batch runs one password check; the others are refused with the limit named', async () => {
      const client = gw.asUser('admin01');
      const before = await failedAttempts('admin01');
      const batch = Array.from({ length: 5 }, (_, i) => ({ query: LOGIN, variables: { pin: `Wrong${i}x` } }));
      const response = await client.request('/graphql', { body: JSON.stringify(batch) });
      const bodies = response.body as unknown as Array<GraphqlResponse['body']>;
      const codes = bodies.map((b) => b.errors?.[0]?.extensions?.code);
      expect(codes.filter((c) => c === 'LOGIN_FAILED')).toHaveLength(1);
      expect(bodies.filter((b) => b.errors?.[0]?.extensions?.limit === 'PASSWORD_CHECKS')).toHaveLength(4);
      expect(await failedAttempts('admin01')).toBe(before + 1);
      await loginAsPartner(client, gw.credentials('admin01').loginPassword); // resets the count for the other tests
    });

    it('successful: a document holding several operations runs the one named, as GraphiQL sends it', async () => {
      const client = gw.asUser('user02');
      const document = `${LOGIN}\nmutation Pay($i: CreateTransferInput!, $pw: String!) { createTransfer(input: $i, confirmationPassword: $pw) { id } }`;
      const response = await client.request('/graphql', {
        body: JSON.stringify({ query: document, operationName: 'Login', variables: { pin: gw.credentials('user02').loginPassword } }),
      });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.login.token).toEqual(expect.any(String));
    });

    it('successful: one transfer with its confirmation password is one check', async () => {
      const response = await user.query(CREATE_TRANSFER, {
        input: transferInput(1, 1000),
        pw: gw.credentials('user01').confirmationPassword,
      });
      expect(response.body.errors).toBeUndefined();
    });
  });
});

/** In production the schema is shown to logged-in administrators and operators only, and names are never suggested. */
describe('production: introspection and suggestions', () => {
  let gw: TestGateway;
  const schemaQuery = '{ __schema { queryType { name } mutationType { fields { name } } } }';

  beforeAll(async () => {
    gw = await TestGateway.startProduction();
  });
  afterAll(() => gw.stop());

  async function withSession(loginId: string, role: Role): Promise<GraphqlClient> {
    const identity = await registerIdentity(gw.gateway, loginId, { role });
    const client = gw.withCertificate(identity);
    await loginAsPartner(client, identity.loginPassword);
    return client;
  }

  it('failing: a certificate without a PIN session, and a customer user, cannot read the schema', async () => {
    const identity = await registerIdentity(gw.gateway, 'prod-nosession', { role: Role.USER });
    for (const client of [gw.withCertificate(identity), await withSession('prod-user', Role.USER)]) {
      for (const query of [
        schemaQuery,
        '{ __type(name: "Mutation") { fields { name } } }',
        `{ whoami { loginId } ...f } fragment f on Query { __schema { types { name } } }`,
      ]) {
        const response = await client.query(query);
        expect(response.status).toBe(403);
        expect(errorCode(response)).toBe('FORBIDDEN');
        expect(JSON.stringify(response.body)).not.toContain('createContract');
      }
      // __typename is not introspection.
      expect((await client.query('{ __typename }')).body.data).toEqual({ __typename: 'Query' });
    }
  });

  it('successful: logged-in administrators and operators read it (GraphiQL needs it)', async () => {
    for (const client of [await withSession('prod-admin', Role.ADMIN), await withSession('prod-operator', Role.OPERATOR)]) {
      const response = await client.query(getIntrospectionQuery());
      expect(response.body.errors).toBeUndefined();
      expect(JSON.stringify(response.body)).toContain('createContract');
    }
  });

  it('failing: nobody reads the enrollment listener’s schema in production', async () => {
    const response = await gw.enrollClient().query(schemaQuery);
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(JSON.stringify(response.body)).not.toContain('enrollCertificate');
  });

  it('failing: a misspelt field, argument or enum value gets no "Did you mean" in production', async () => {
    const identity = await registerIdentity(gw.gateway, 'prod-typo', { role: Role.USER });
    const client = gw.withCertificate(identity);
    for (const [query, variables] of [
      ['{ whoam { loginId } }', undefined],
      ['{ contract { id } }', undefined],
      ['mutation { changePassword(knd: LOGIN, current: "a", next: "b") { kind } }', undefined],
      ['mutation($k: PasswordKind!) { changePassword(kind: $k, current: "a", next: "b") { kind } }', { k: 'LOGN' }],
      ['{ enrollCertificat }', undefined],
    ] as const) {
      const response = await client.query(query, variables as Record<string, unknown> | undefined);
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(response.body)).not.toMatch(/Did you mean|contracts|whoami|kind"|LOGIN"/);
    }
  });
});

describe('development: suggestions help whoever writes the query', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('successful: outside production a misspelt field is answered with a suggestion', async () => {
    const response = await gw.asUser('user01').query('{ whoam { loginId } }');
    expect(response.body.errors![0].message).toMatch(/Did you mean "whoami"\?/);
  });
});
