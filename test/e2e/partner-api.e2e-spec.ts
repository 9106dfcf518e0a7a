import crypto from 'node:crypto';
import * as oauth from 'openid-client';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Account } from '../../src/banking/accounts/account.entity';
import { Transfer } from '../../src/banking/transfers/transfer.entity';
import { Contract } from '../../src/contract/contract.entity';
import { OAuthRecord } from '../../src/partners/oauth-record.entity';
import { PartnerGrant } from '../../src/partners/partner-grant.entity';
import { Certificate } from '../../src/pki/certificate.entity';
import { User } from '../../src/users/user.entity';
import { login } from '../helpers/auth';
import { businessDate } from '../../src/banking/calendar/business-day';
import { bulkLines, CREATE_TRANSFER, monthDay, transferInput, zenginFile } from '../helpers/banking';
import { errorCode, type GraphqlClient, type GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { onboardContract, sessionAs } from '../helpers/lifecycle';
import {
  authorizeConsent,
  giveConsent,
  operatorOf,
  partnerApi,
  partnerClient,
  registerPartner,
  RESUME_PARTNER,
  SUSPEND_PARTNER,
  type Consent,
  type TestPartner,
} from '../helpers/partners';

const STATEMENT = 'query($a: Int!) { statement(accountId: $a, first: 5) { items { id amount } } }';
const TRANSFER = 'query($id: Int!) { transfer(id: $id) { id status } }';
const TRANSFERS = '{ transfers { items { id } } }';
const REVOKE_GRANT = 'mutation($id: Int!, $pw: String!) { revokePartnerGrant(grantId: $id, confirmationPassword: $pw) { id } }';
const RENEW_GRANT = 'mutation($id: Int!, $pw: String!) { renewPartnerGrant(grantId: $id, confirmationPassword: $pw) { id expired } }';
const SUSPEND_USER = 'mutation($id: Int!, $pw: String!) { suspendUser(userId: $id, confirmationPassword: $pw) { status } }';
const RESUME_USER = 'mutation($id: Int!, $pw: String!) { resumeUser(userId: $id, confirmationPassword: $pw) { status } }';
const SET_PERMISSIONS =
  'mutation($id: Int!, $p: [Permission!]!, $pw: String!) { setUserPermissions(userId: $id, permissions: $p, confirmationPassword: $pw) { permissions } }';
const STOP = 'mutation { emergencyStop(reason: "PC infected") { status } }';
const RESUME_CONTRACT =
  'mutation($id: Int!, $pw: String!) { resumeContract(contractId: $id, note: "checked with the customer", confirmationPassword: $pw) { status } }';
const REVOKE_CERTIFICATE = 'mutation($id: Int!) { revokeCertificate(certificateId: $id, reason: "PC lost") { status } }';

/** What a refusal of a whole request looks like to the partner. */
const refusal = (response: GraphqlResponse) => ({
  status: response.status,
  challenge: response.headers['www-authenticate'],
  code: errorCode(response),
  reason: response.body.errors?.[0]?.extensions?.reason,
});
const INVALID_TOKEN = { status: 401, challenge: 'Bearer error="invalid_token"', code: 'UNAUTHENTICATED' };

/**
 * Issue 20, the API for partners, failing and succeeding: a partner's bearer token, from the
 * partner's own TLS connection, speaks for the person who consented within what they consented to
 * and still may do, and is refused at its next request — with the code the person would get, and
 * a Bearer challenge when the token itself no longer counts — once anything it rests on ends.
 */
describe('the partner API (/graphql with a certificate-bound token)', () => {
  let gw: TestGateway;
  let freee: TestPartner & { id: number };
  let contractId: number;
  let user01Id: number;
  /** 本店 普通 1234567: the account the customer chooses in every consent here. */
  let chosen: number;
  /** 新宿支店 当座 7654321: user01's too, never chosen. */
  let notChosen: number;
  const pw = (loginId: 'user01' | 'admin01' | 'operator01') => gw.credentials(loginId).confirmationPassword;

  beforeAll(async () => {
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none' });
    freee = await registerPartner(gw, { name: 'freee' });
    const db = gw.gateway.services.db.writableManager;
    contractId = (await db.findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    user01Id = (await db.findOneByOrFail(User, { loginId: 'user01' })).id;
    chosen = (await db.findOneByOrFail(Account, { contractId, accountNumber: '1234567' })).id;
    notChosen = (await db.findOneByOrFail(Account, { contractId, accountNumber: '7654321' })).id;
  });
  afterAll(async () => {
    await gw?.stop();
  });

  /** user01 consents to freee (through a fresh sign-in), for the chosen account only. */
  async function consent(options: { scope?: string; session?: GraphqlClient } = {}): Promise<Consent & { api: GraphqlClient }> {
    const session = options.session ?? (await sessionAs(gw, 'user01'));
    const given = await giveConsent(
      gw,
      freee,
      { session, identity: gw.demoIdentity('user01'), confirmationPassword: pw('user01') },
      { accountIds: [chosen], scope: options.scope },
    );
    return { ...given, api: partnerApi(gw, freee, given.accessToken) };
  }

  const createTransfer = (api: GraphqlClient, from = chosen, amount = 1_000) =>
    api.query(CREATE_TRANSFER, { input: transferInput(from, amount), pw: '' });
  const readsStatement = async (api: GraphqlClient) => {
    const response = await api.query(STATEMENT, { a: chosen });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.statement.items.length > 0;
  };

  it('successful: reads the chosen account’s statement and creates a transfer that waits for approval', async () => {
    const { api } = await consent();
    expect(await readsStatement(api)).toBe(true);
    const created = await createTransfer(api);
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createTransfer).toMatchObject({ status: 'PENDING_APPROVAL', maker: { loginId: 'user01' }, approver: null });
  });

  it('successful: bulk transfers, as JSON lines or a Zengin file, wait for approval even where the contract needs none', async () => {
    const { api } = await consent();
    const db = gw.gateway.services.db;
    await db.transaction((m) => m.update(Contract, { id: contractId }, { requiresApproval: false }));
    try {
      const lines = bulkLines(2, (n) => n * 1_000);
      const made = await api.query(
        'mutation($l: [BulkTransferLineInput!]!, $from: Int!) { createBulkTransfer(lines: $l, fromAccountId: $from, confirmationPassword: "") { status totalAmount } }',
        { l: lines, from: chosen },
      );
      expect(made.body.data?.createBulkTransfer ?? made.body.errors).toEqual({ status: 'PENDING_APPROVAL', totalAmount: 3_000 });
      const file = zenginFile(lines, monthDay(businessDate(gw.clock.now()))).toString('base64');
      const imported = await api.query(
        'mutation($f: String!, $from: Int!) { importBulkTransfer(fileBase64: $f, fromAccountId: $from, confirmationPassword: "") { status totalAmount } }',
        { f: file, from: chosen },
      );
      expect(imported.body.data?.importBulkTransfer ?? imported.body.errors).toEqual({ status: 'PENDING_APPROVAL', totalAmount: 3_000 });
    } finally {
      await db.transaction((m) => m.update(Contract, { id: contractId }, { requiresApproval: true }));
    }
  });

  it('failing: a token presented from another certificate (stolen) is 401 OTHER_CERTIFICATE; with the customer’s own certificate it is no session', async () => {
    const { accessToken } = await consent();
    const thief = partnerApi(gw, { clientId: freee.clientId, identity: gw.unregisteredIdentity('thief') }, accessToken);
    expect(refusal(await thief.query(STATEMENT, { a: chosen }))).toEqual({ ...INVALID_TOKEN, reason: 'OTHER_CERTIFICATE' });

    // The customer's registered certificate with the partner's token: the person's own request,
    // where the token is no PIN session of theirs.
    const customer = gw.asUser('user01');
    customer.bearer = accessToken;
    const me = await customer.query('{ me { loginId } }');
    expect([errorCode(me), me.body.errors?.[0]?.extensions?.reason]).toEqual(['UNAUTHENTICATED', 'NO_SESSION']);
    expect(errorCode(await customer.query(STATEMENT, { a: chosen }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await customer.query(CREATE_TRANSFER, { input: transferInput(chosen, 1_000), pw: '' }))).toBe('UNAUTHENTICATED');
  });

  it('failing: after revokePartnerGrant the token is 401, unknown to the authorization server', async () => {
    const session = await sessionAs(gw, 'user01');
    const { api, grant } = await consent({ session });
    expect(await readsStatement(api)).toBe(true);
    expect((await session.query(REVOKE_GRANT, { id: grant.id, pw: pw('user01') })).body.errors).toBeUndefined();
    // The revocation makes the authorization server forget the grant's tokens at once: the token
    // is refused as one that does not exist (NO_SESSION), before the consent's row is read.
    expect(refusal(await api.query(STATEMENT, { a: chosen }))).toEqual({ ...INVALID_TOKEN, reason: 'NO_SESSION' });
    expect(refusal(await createTransfer(api))).toEqual({ ...INVALID_TOKEN, reason: 'NO_SESSION' });
  });

  it('refreshes the access token while the consent lives, bound to the partner’s certificate; refuses the refresh once it is revoked', async () => {
    const session = await sessionAs(gw, 'user01');
    const { refreshToken, grant } = await consent({ session });
    const { config, agent } = await partnerClient(gw, freee);
    try {
      const refreshed = await oauth.refreshTokenGrant(config, refreshToken!);
      expect(await readsStatement(partnerApi(gw, freee, refreshed.access_token))).toBe(true);
      // Another certificate of the bank CA cannot use the partner's refresh token.
      const other = await partnerClient(gw, { clientId: freee.clientId, identity: gw.unregisteredIdentity('thief') });
      await expect(oauth.refreshTokenGrant(other.config, refreshed.refresh_token ?? refreshToken!)).rejects.toMatchObject({
        error: 'invalid_client',
      });
      await other.agent.close();
      expect((await session.query(REVOKE_GRANT, { id: grant.id, pw: pw('user01') })).body.errors).toBeUndefined();
      await expect(oauth.refreshTokenGrant(config, refreshed.refresh_token ?? refreshToken!)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      expect(refusal(await partnerApi(gw, freee, refreshed.access_token).query(STATEMENT, { a: chosen }))).toMatchObject(INVALID_TOKEN);
    } finally {
      await agent.close();
    }
  });

  it('failing: a consent revoked in the database while its token is still stored (another instance between the two steps) is 401 ENDED_BY_ADMINISTRATION', async () => {
    const { api, grant } = await consent();
    await gw.gateway.services.db.transaction((m) => m.update(PartnerGrant, { id: grant.id }, { revokedAt: new Date() }));
    expect(refusal(await api.query(STATEMENT, { a: chosen }))).toEqual({ ...INVALID_TOKEN, reason: 'ENDED_BY_ADMINISTRATION' });
  });

  it('failing: while the person is suspended (admin’s suspendUser) the token is 401, and serves again once resumed', async () => {
    const { api } = await consent();
    const admin = await sessionAs(gw, 'admin01');
    expect((await admin.query(SUSPEND_USER, { id: user01Id, pw: pw('admin01') })).body.data.suspendUser.status).toBe('SUSPENDED');
    expect(refusal(await api.query(STATEMENT, { a: chosen }))).toEqual({ ...INVALID_TOKEN, reason: 'ENDED_BY_ADMINISTRATION' });
    expect((await admin.query(RESUME_USER, { id: user01Id, pw: pw('admin01') })).body.data.resumeUser.status).toBe('ACTIVE');
    expect(await readsStatement(api)).toBe(true);
  });

  it('failing: while the operator has the partner suspended the token is 401', async () => {
    const { api } = await consent();
    const operator = await operatorOf(gw);
    expect((await operator.query(SUSPEND_PARTNER, { id: freee.id, pw: pw('operator01') })).body.errors).toBeUndefined();
    try {
      expect(refusal(await api.query(STATEMENT, { a: chosen }))).toEqual({ ...INVALID_TOKEN, reason: 'ENDED_BY_ADMINISTRATION' });
    } finally {
      expect((await operator.query(RESUME_PARTNER, { id: freee.id, pw: pw('operator01') })).body.errors).toBeUndefined();
    }
    expect(await readsStatement(api)).toBe(true);
  });

  it('failing: during the contract’s emergency stop the partner gets CONTRACT_STOPPED, as the person would', async () => {
    const { api } = await consent();
    const admin = await sessionAs(gw, 'admin01');
    expect((await admin.query(STOP)).body.data.emergencyStop.status).toBe('STOPPED');
    try {
      const stopped = await api.query(STATEMENT, { a: chosen });
      expect(errorCode(stopped)).toBe('CONTRACT_STOPPED');
      expect(errorCode(await createTransfer(api))).toBe('CONTRACT_STOPPED');
    } finally {
      const operator = await operatorOf(gw);
      expect((await operator.query(RESUME_CONTRACT, { id: contractId, pw: pw('operator01') })).body.errors).toBeUndefined();
    }
    expect(await readsStatement(api)).toBe(true);
  });

  it('failing: once the person is locked by wrong login passwords the partner gets ACCOUNT_LOCKED', async () => {
    const { api } = await consent();
    const customer = gw.asUser('user01');
    let code: string | undefined;
    for (let attempt = 0; attempt < 10 && code !== 'ACCOUNT_LOCKED'; attempt++) code = errorCode(await login(customer, 'wrong-pin-0'));
    expect(code).toBe('ACCOUNT_LOCKED');
    try {
      expect(errorCode(await api.query(STATEMENT, { a: chosen }))).toBe('ACCOUNT_LOCKED');
    } finally {
      // A password reset would unlock too, but would change the demo passwords the other tests use.
      await gw.gateway.services.db.transaction((m) => m.update(User, { id: user01Id }, { lockedAt: null, failedAttempts: 0 }));
    }
    expect(await readsStatement(api)).toBe(true);
  });

  it('failing: an expired consent is 401 EXPIRED; renewPartnerGrant by the person makes the same token work again', async () => {
    const session = await sessionAs(gw, 'user01');
    const { api, grant } = await consent({ session });
    await gw.gateway.services.db.transaction((m) => m.update(PartnerGrant, { id: grant.id }, { expiresAt: new Date(Date.now() - 1_000) }));
    expect(refusal(await api.query(STATEMENT, { a: chosen }))).toEqual({ ...INVALID_TOKEN, reason: 'EXPIRED' });
    const renewed = await session.query(RENEW_GRANT, { id: grant.id, pw: pw('user01') });
    expect(renewed.body.data.renewPartnerGrant).toEqual({ id: grant.id, expired: false });
    expect(await readsStatement(api)).toBe(true);
  });

  it('failing: a token with only account_information cannot create a transfer (FORBIDDEN), nor list transfers', async () => {
    const { api } = await consent({ scope: 'account_information' });
    expect(await readsStatement(api)).toBe(true);
    expect(errorCode(await createTransfer(api))).toBe('FORBIDDEN');
    expect(errorCode(await api.query(TRANSFERS))).toBe('FORBIDDEN');
    const ids = await gw.gateway.services.db.writableManager.countBy(Transfer, { makerUserId: user01Id, accountId: chosen, amount: 777 });
    expect(errorCode(await createTransfer(api, chosen, 777))).toBe('FORBIDDEN');
    expect(await gw.gateway.services.db.writableManager.countBy(Transfer, { makerUserId: user01Id, accountId: chosen, amount: 777 })).toBe(
      ids,
    );
  });

  it('failing: what a person does for themselves is not open to partners (FORBIDDEN)', async () => {
    const { api } = await consent();
    const pending = (await createTransfer(api)).body.data.createTransfer.id;
    const closed: Record<string, [string, Record<string, unknown>?]> = {
      whoami: ['{ whoami { loginId } }'],
      me: ['{ me { loginId } }'],
      login: ['mutation($pin: String!) { login(pin: $pin) { token } }', { pin: gw.credentials('user01').loginPassword }],
      approveTransfer: ['mutation($id: Int!) { approveTransfer(transferId: $id, confirmationPassword: "") { status } }', { id: pending }],
      cancelTransfer: ['mutation($id: Int!) { cancelTransfer(transferId: $id, confirmationPassword: "") { status } }', { id: pending }],
      createPayee: [
        `mutation { createPayee(input: { bankCode: "0009", branchCode: "123", accountType: ORDINARY, accountNumber: "7654321",
          payeeName: "ｶ)ﾃﾞﾓ", nickname: "x" }) { id } }`,
      ],
      auditEvents: ['{ auditEvents { items { id } } }'],
      partnerGrants: ['{ partnerGrants { id } }'],
      users: ['{ users { id } }'],
    };
    const codes: Record<string, string | undefined> = {};
    for (const [name, [query, variables]] of Object.entries(closed)) codes[name] = errorCode(await api.query(query, variables));
    expect(codes).toEqual(Object.fromEntries(Object.keys(closed).map((name) => [name, 'FORBIDDEN'])));
    const order = await gw.gateway.services.db.writableManager.findOneByOrFail(Transfer, { id: pending });
    expect(order.status).toBe('PENDING_APPROVAL');
  });

  it('failing: an array batch is checked operation by operation: the open one served, the closed ones FORBIDDEN', async () => {
    const { api } = await consent();
    const batch = await api.request('/graphql', {
      body: JSON.stringify([{ query: '{ accounts { id } }' }, { query: '{ me { loginId } }' }, { query: '{ users { id } }' }]),
    });
    const answers = batch.body as unknown as Array<GraphqlResponse['body']>;
    expect(answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? answer.data)).toEqual([
      { accounts: [{ id: chosen }] },
      'FORBIDDEN',
      'FORBIDDEN',
    ]);
  });

  it('failing: the downloads are not open to a partner’s token (its certificate is no user’s), the statement file included', async () => {
    const { api } = await consent();
    const file = await api.download(`/downloads/statement?accountId=${chosen}&from=2030-12-01&to=2030-12-31`);
    expect([file.status, JSON.parse(file.bytes.toString('utf8')).errors?.[0]?.extensions?.code]).toEqual([401, 'CERTIFICATE_REJECTED']);
  });

  it('failing: a permission the administrator takes from the person is FORBIDDEN to the partner at its next request', async () => {
    const { api } = await consent();
    expect(errorCode(await createTransfer(api))).toBeUndefined();
    const admin = await sessionAs(gw, 'admin01');
    const set = (p: string[]) => admin.query(SET_PERMISSIONS, { id: user01Id, p, pw: pw('admin01') });
    expect((await set(['ACCOUNT_INQUIRY'])).body.errors).toBeUndefined();
    try {
      expect(errorCode(await createTransfer(api))).toBe('FORBIDDEN');
      expect(await readsStatement(api)).toBe(true);
    } finally {
      expect((await set(['ACCOUNT_INQUIRY', 'TRANSFER'])).body.errors).toBeUndefined();
    }
    expect(errorCode(await createTransfer(api))).toBeUndefined();
  });

  it('failing: an account the administrator takes from the person (利用口座) is gone for the partner at its next request', async () => {
    const { api } = await consent();
    const admin = await sessionAs(gw, 'admin01');
    const assign = (a: number[]) =>
      admin.query(
        'mutation($u: Int!, $a: [Int!]!, $pw: String!) { setUserAccounts(userId: $u, accountIds: $a, confirmationPassword: $pw) { id } }',
        {
          u: user01Id,
          a,
          pw: pw('admin01'),
        },
      );
    expect((await assign([notChosen])).body.errors).toBeUndefined();
    try {
      expect((await api.query('{ accounts { id } }')).body.data.accounts).toEqual([]);
      expect(errorCode(await api.query(STATEMENT, { a: chosen }))).toBe('FORBIDDEN');
      expect(errorCode(await createTransfer(api))).toBe('FORBIDDEN');
    } finally {
      expect((await assign([chosen, notChosen])).body.errors).toBeUndefined();
    }
    expect(await readsStatement(api)).toBe(true);
  });

  describe('accounts and orders outside the consent', () => {
    let api: GraphqlClient;
    let otherContractAccount: number;
    let webOrderOnNotChosen: number;
    let otherContractOrder: number;

    beforeAll(async () => {
      const session = await sessionAs(gw, 'user01');
      // The person's own order, made in the web app on the account they did not choose.
      const made = await session.query(CREATE_TRANSFER, { input: transferInput(notChosen, 2_000), pw: pw('user01') });
      webOrderOnNotChosen = made.body.data.createTransfer.id;
      ({ api } = await consent({ session }));
      // Another contract, with an account and an order of its own.
      const other = await onboardContract(gw, await operatorOf(gw), 'C0000777', 'other-admin');
      const db = gw.gateway.services.db;
      const template = await db.writableManager.findOneByOrFail(Account, { id: chosen });
      otherContractAccount = await db.transaction(async (m) => {
        const { id: _id, ...columns } = template;
        return (await m.save(Account, m.create(Account, { ...columns, contractId: other.contractId, accountNumber: '7770001' }))).id;
      });
      const order = await db.writableManager.findOneByOrFail(Transfer, { id: webOrderOnNotChosen });
      otherContractOrder = await db.transaction(async (m) => {
        const { id: _id, ...columns } = order;
        return (await m.save(Transfer, m.create(Transfer, { ...columns, contractId: other.contractId, accountId: otherContractAccount })))
          .id;
      });
    });

    it('gives no order on an account not chosen back through an idempotency key the person used for it', async () => {
      // The person's own retry-safe order in the web app, on the account they did not choose.
      const session = await sessionAs(gw, 'user01');
      const input = transferInput(notChosen, 3_333);
      const KEYED =
        'mutation($i: CreateTransferInput!, $pw: String!, $k: String) { createTransfer(input: $i, confirmationPassword: $pw, idempotencyKey: $k) { id account { balance } } }';
      const made = await session.query(KEYED, { i: input, pw: pw('user01'), k: 'erp-2030-0001' });
      expect(made.body.errors).toBeUndefined();
      const replayed = await api.query(KEYED, { i: input, pw: '', k: 'erp-2030-0001' });
      expect([errorCode(replayed), replayed.body.data?.createTransfer]).toEqual(['FORBIDDEN', undefined]);
    });

    it('answers the partner’s own retry with the same idempotency key with its first order, made once', async () => {
      const KEYED =
        'mutation($i: CreateTransferInput!, $k: String) { createTransfer(input: $i, confirmationPassword: "", idempotencyKey: $k) { id status } }';
      const input = transferInput(chosen, 4_444);
      const [first, retry] = [
        await api.query(KEYED, { i: input, k: 'erp-2030-0002' }),
        await api.query(KEYED, { i: input, k: 'erp-2030-0002' }),
      ];
      expect(first.body.data.createTransfer.status).toBe('PENDING_APPROVAL');
      expect(retry.body.data.createTransfer).toEqual(first.body.data.createTransfer);
      expect(await gw.gateway.services.db.writableManager.countBy(Transfer, { amount: 4_444 })).toBe(1);
    });

    it('lists only the chosen account', async () => {
      const listed = await api.query('{ accounts { id } }');
      expect(listed.body.data.accounts).toEqual([{ id: chosen }]);
    });

    it('answers an account not chosen, another contract’s and an unknown one alike: FORBIDDEN, nothing created', async () => {
      const unknown = 999_999;
      const statements = await Promise.all([notChosen, otherContractAccount, unknown].map((a) => api.query(STATEMENT, { a })));
      const payments = await Promise.all([notChosen, otherContractAccount, unknown].map((a) => createTransfer(api, a, 4_321)));
      expect([...statements, ...payments].map((r) => [errorCode(r), r.body.errors?.[0]?.message])).toEqual(
        Array(6).fill(['FORBIDDEN', 'This account is not one of your accounts (利用口座).']),
      );
      expect(await gw.gateway.services.db.writableManager.countBy(Transfer, { amount: 4_321 })).toBe(0);
    });

    it('answers the person’s order on an account not chosen, another contract’s order and an unknown id alike', async () => {
      const answers = await Promise.all([webOrderOnNotChosen, otherContractOrder, 999_999].map((id) => api.query(TRANSFER, { id })));
      const shapes = answers.map((r) => [errorCode(r), r.body.errors?.[0]?.message.replace(/\d+/g, 'N')]);
      expect(shapes[0][0]).toBe('NOT_FOUND');
      expect(shapes).toEqual([shapes[2], shapes[2], shapes[2]]);
      const listed = (await api.query(TRANSFERS)).body.data.transfers.items.map((t: { id: number }) => t.id);
      expect(listed).not.toContain(webOrderOnNotChosen);
      expect(listed).not.toContain(otherContractOrder);
    });
  });

  it('leaves the person’s own web session alone: the partner’s calls neither use nor replace it', async () => {
    const session = await sessionAs(gw, 'user01');
    const token = session.bearer;
    const { api } = await consent({ session });
    for (let i = 0; i < 3; i++) expect(await readsStatement(api)).toBe(true);
    expect(errorCode(await createTransfer(api))).toBeUndefined();
    expect(session.bearer).toBe(token);
    const me = await session.query('{ me { loginId loggedIn } }');
    expect(me.body.data.me).toEqual({ loginId: 'user01', loggedIn: true });
    expect((await session.query('{ whoami { loginId } }')).body.data.whoami.loginId).toBe('user01');
    expect(errorCode(await session.query(STATEMENT, { a: notChosen }))).toBeUndefined();
  });

  it('records the partner in the audit event of an order it created', async () => {
    const { api, grant } = await consent();
    const created = await createTransfer(api, chosen, 1_234);
    const id = created.body.data.createTransfer.id;
    const event = await gw.gateway.services.db.writableManager.findOneByOrFail(AuditEvent, {
      action: AuditAction.TRANSFER_CREATED,
      targetId: String(id),
    });
    expect(event.actorLoginId).toBe('user01');
    expect(JSON.parse(event.detail!).partner).toEqual({ id: freee.id, clientId: freee.clientId, name: 'freee', grantId: grant.id });
  });

  it('refuses an authorization code once its 60 s are over (invalid_grant), as the adapter measures them', async () => {
    const session = await sessionAs(gw, 'user01');
    const authorized = await authorizeConsent(
      gw,
      freee,
      { session, identity: gw.demoIdentity('user01'), confirmationPassword: pw('user01') },
      { accountIds: [chosen] },
    );
    try {
      const code = authorized.callback.searchParams.get('code')!;
      const records = gw.gateway.services.db.writableManager.getRepository(OAuthRecord);
      const key = { model: 'AuthorizationCode', id: crypto.createHash('sha256').update(code).digest('hex') };
      const stored = await records.findOneByOrFail(key);
      const lifetime = stored.expiresAt!.getTime() - Date.now();
      expect(lifetime).toBeGreaterThan(0);
      expect(lifetime).toBeLessThanOrEqual(60_000);
      // Instead of waiting the 60 s: the record's time moved to its end, as the real clock would.
      await gw.gateway.services.db.transaction((m) => m.getRepository(OAuthRecord).update(key, { expiresAt: new Date() }));
      await expect(
        oauth.authorizationCodeGrant(authorized.config, authorized.callback, {
          pkceCodeVerifier: authorized.verifier,
          expectedState: authorized.state,
        }),
      ).rejects.toMatchObject({ error: 'invalid_grant' });
    } finally {
      await authorized.close();
    }
  });

  // Last: user01's certificate stays revoked (a new one would need a new enrollment).
  it('failing: once the certificate the person consented with is revoked, the token is 401 ENDED_BY_ADMINISTRATION', async () => {
    const { api } = await consent();
    expect(await readsStatement(api)).toBe(true);
    const certificate = await gw.gateway.services.db.writableManager.findOneOrFail(Certificate, {
      where: { userId: user01Id },
      order: { id: 'DESC' },
    });
    const admin = await sessionAs(gw, 'admin01');
    expect((await admin.query(REVOKE_CERTIFICATE, { id: certificate.id })).body.errors).toBeUndefined();
    expect(refusal(await api.query(STATEMENT, { a: chosen }))).toEqual({ ...INVALID_TOKEN, reason: 'ENDED_BY_ADMINISTRATION' });
    expect(refusal(await createTransfer(api))).toEqual({ ...INVALID_TOKEN, reason: 'ENDED_BY_ADMINISTRATION' });
  });
});

describe('the partner rate limit (PARTNER_REQUESTS_PER_MINUTE)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start({ TRANSFER_CUTOFF: 'none', PARTNER_REQUESTS_PER_MINUTE: '5' });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  /** A partner of its own (its own bucket), with user01's consent to account 1234567. */
  async function consentedPartner(name: string) {
    const partner = await registerPartner(gw, { name });
    const db = gw.gateway.services.db.writableManager;
    const contractId = (await db.findOneByOrFail(Contract, { code: 'DEMO0001' })).id;
    const account = (await db.findOneByOrFail(Account, { contractId, accountNumber: '1234567' })).id;
    const session = await sessionAs(gw, 'user01');
    const { accessToken } = await giveConsent(
      gw,
      partner,
      { session, identity: gw.demoIdentity('user01'), confirmationPassword: gw.credentials('user01').confirmationPassword },
      { accountIds: [account] },
    );
    const api = partnerApi(gw, partner, accessToken);
    return { api, account, session };
  }

  it('answers the 6th request of a partner in the minute 429 RATE_LIMITED with Retry-After', async () => {
    const { api, account, session } = await consentedPartner('busy');
    const answers: GraphqlResponse[] = [];
    for (let i = 0; i < 6; i++) answers.push(await api.query(STATEMENT, { a: account }));
    expect(answers.slice(0, 5).map((r) => [r.status, errorCode(r)])).toEqual(Array(5).fill([200, undefined]));
    const sixth = answers[5];
    expect([sixth.status, errorCode(sixth)]).toEqual([429, 'RATE_LIMITED']);
    const retryAfter = Number(sixth.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The person's own requests are not the partner's to use up.
    expect(errorCode(await session.query(STATEMENT, { a: account }))).toBeUndefined();
  });

  it('counts each operation of an array batch: a batch of 3 takes 3 of the 5', async () => {
    const { api } = await consentedPartner('batching');
    const batchOf = (n: number) => api.request('/graphql', { body: JSON.stringify(Array(n).fill({ query: '{ accounts { id } }' })) });
    expect((await batchOf(3)).status).toBe(200);
    expect((await batchOf(2)).status).toBe(200);
    const third = await api.query('{ accounts { id } }');
    expect([third.status, errorCode(third)]).toEqual([429, 'RATE_LIMITED']);
  });
});
