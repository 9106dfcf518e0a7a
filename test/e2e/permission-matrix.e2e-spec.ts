import fs from 'node:fs';
import path from 'node:path';
import type { GraphqlClient, GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { pathsToDeclaredFields } from '../../src/graphql/access-map';
import { buildApiSchema, buildEnrollSchema } from '../../src/graphql/schema';
import { bulkLines, CREATE_TRANSFER, monthDay, transferInput, zenginFile } from '../helpers/banking';
import { businessDate } from '../../src/banking/calendar/business-day';
import { nextBusinessDay } from '../../src/banking/calendar/bank-calendar';
import { Contract } from '../../src/contract/contract.entity';
import { onboardContract, onboardUser, sessionAs } from '../helpers/lifecycle';

/**
 * Who can reach each operation, tried for real: every operation of access-map.json is called by
 * every kind of caller, with arguments that fail harmlessly after the access check (unknown ids,
 * invalid input), so a refusal at the door (UNAUTHENTICATED, or FORBIDDEN naming the required
 * role) is told apart from a refusal by the operation itself.
 */
const OPERATIONS: Record<string, { query: string; variables?: Record<string, unknown> } | { download: string }> = {
  // The downloads (large results as files): the same door as GraphQL, then an argument refused.
  'api GET /downloads/bulk-transfer/:id/result': { download: '/downloads/bulk-transfer/0/result' },
  'api GET /downloads/salary-transfer/:id/result': { download: '/downloads/salary-transfer/0/result' },
  'api GET /downloads/audit-log': { download: '/downloads/audit-log?contractId=none' },
  'api GET /downloads/statement': { download: '/downloads/statement?accountId=none' },
  'api Query.whoami': { query: '{ whoami { loginId } }' },
  'api Query.me': { query: '{ me { loginId } }' },
  'api Query.users': { query: '{ users { id } }' },
  'api Query.contracts': { query: '{ contracts { id } }' },
  'api Query.myContract': { query: '{ myContract { id } }' },
  'api Query.auditEvents': { query: '{ auditEvents(first: 1) { nextCursor } }' },
  'api Query.verifyAuditChain': { query: '{ verifyAuditChain(contractId: 0) { ok } }' },
  'api Mutation.login': { query: 'mutation($pin: String!) { login(pin: $pin) { token } }', variables: { pin: 'x'.repeat(129) } },
  'api Mutation.changePassword': { query: 'mutation { changePassword(kind: LOGIN, current: "x", next: "a") { kind } }' },
  'api Mutation.renewCertificate': { query: 'mutation { renewCertificate(csrPem: "x") { id } }' },
  'api Mutation.revokeCertificate': { query: 'mutation { revokeCertificate(certificateId: 0, reason: "matrix") { id } }' },
  'api Mutation.createUser': {
    query: 'mutation($i: CreateUserInput!) { createUser(input: $i, confirmationPassword: "x") { user { id } } }',
    variables: { i: { loginId: 'X', displayName: 'x', permissions: [], transferLimitPerTransaction: 0, dailyTransferLimit: 0 } },
  },
  'api Mutation.setUserPermissions': {
    query: 'mutation { setUserPermissions(userId: 0, permissions: [], confirmationPassword: "x") { id } }',
  },
  'api Mutation.setUserLimits': {
    query:
      'mutation { setUserLimits(userId: 0, limits: { transferLimitPerTransaction: 0, dailyTransferLimit: 0 }, confirmationPassword: "x") { id } }',
  },
  'api Mutation.resetUserPasswords': { query: 'mutation { resetUserPasswords(userId: 0, confirmationPassword: "x") { user { id } } }' },
  'api Mutation.suspendUser': { query: 'mutation { suspendUser(userId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.resumeUser': { query: 'mutation { resumeUser(userId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.issueEnrollmentCode': { query: 'mutation { issueEnrollmentCode(userId: 0, confirmationPassword: "x") { code } }' },
  'api Mutation.beginCreateUser': {
    query: 'mutation($i: CreateUserInput!) { beginCreateUser(input: $i) { binding } }',
    variables: { i: { loginId: 'X', displayName: 'x', permissions: [], transferLimitPerTransaction: 2, dailyTransferLimit: 1 } },
  },
  'api Mutation.beginSetUserLimits': {
    query: 'mutation { beginSetUserLimits(userId: 0, limits: { transferLimitPerTransaction: 0, dailyTransferLimit: 0 }) { binding } }',
  },
  'api Mutation.beginSetIpAllowList': { query: 'mutation { beginSetIpAllowList(entries: ["not-an-address"]) { binding } }' },
  'api Mutation.setIpAllowList': { query: 'mutation { setIpAllowList(entries: ["not-an-address"], confirmationPassword: "x") { id } }' },
  'api Mutation.emergencyStop': { query: 'mutation { emergencyStop(reason: "  ") { id } }' },
  'api Mutation.createContract': {
    query: 'mutation($i: CreateContractInput!) { createContract(input: $i, confirmationPassword: "x") { administratorLoginId } }',
    variables: { i: { code: 'x', name: 'x', administratorLoginId: 'X', administratorName: 'x' } },
  },
  'api Mutation.resetAdministratorPasswords': {
    query: 'mutation { resetAdministratorPasswords(loginId: "nobody", note: "", confirmationPassword: "x") { loginPassword } }',
  },
  'api Mutation.resetOperatorPasswords': {
    query: 'mutation { resetOperatorPasswords(loginId: "nobody", note: "", confirmationPassword: "x") { loginPassword } }',
  },
  'api Mutation.issueAdministratorEnrollmentCode': {
    query: 'mutation { issueAdministratorEnrollmentCode(loginId: "nobody", note: "", confirmationPassword: "x") { code } }',
  },
  'api Mutation.resumeContract': { query: 'mutation { resumeContract(contractId: 0, note: "", confirmationPassword: "x") { id } }' },
  'api Mutation.terminateContract': { query: 'mutation { terminateContract(contractId: 0, note: "", confirmationPassword: "x") { id } }' },
  'api Mutation.setUserAccounts': { query: 'mutation { setUserAccounts(userId: 0, accountIds: [], confirmationPassword: "x") { id } }' },
  'api Mutation.setContractTransferSettings': {
    query:
      'mutation { setContractTransferSettings(contractId: 0, settings: { dailyTransferLimit: 0, requiresApproval: false }, note: "", confirmationPassword: "x") { id } }',
  },
  // 取引認証: passkeys, and the challenge bound to an order (NOT_FOUND for id 0, after the door).
  'api Query.passkeys': { query: '{ passkeys { id } }' },
  'api Query.userPasskeys': { query: '{ userPasskeys(userId: 0) { id } }' },
  'api Mutation.beginPasskeyRegistration': { query: 'mutation { beginPasskeyRegistration { expiresAt } }' },
  'api Mutation.registerPasskey': { query: 'mutation { registerPasskey(name: "", registration: "x", confirmationPassword: "x") { id } }' },
  'api Mutation.removePasskey': { query: 'mutation { removePasskey(passkeyId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.removeUserPasskey': { query: 'mutation { removeUserPasskey(userId: 0, passkeyId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.beginTransferApproval': { query: 'mutation { beginTransferApproval(transferId: 0) { binding } }' },
  'api Mutation.beginBulkTransferApproval': { query: 'mutation { beginBulkTransferApproval(bulkTransferId: 0) { binding } }' },
  'api Mutation.beginSalaryTransferApproval': { query: 'mutation { beginSalaryTransferApproval(salaryTransferId: 0) { binding } }' },
  'api Mutation.setContractPasskeyApproval': {
    query: 'mutation { setContractPasskeyApproval(contractId: 0, rule: REQUIRED, note: "", confirmationPassword: "x") { id } }',
  },
  'api Query.heldTransfers': { query: '{ heldTransfers(first: 0) { nextCursor } }' },
  'api Mutation.releaseHeldTransfer': {
    query: 'mutation { releaseHeldTransfer(transferId: 0, verification: "", confirmationPassword: "x") { status } }',
  },
  'api Mutation.cancelHeldTransfer': {
    query: 'mutation { cancelHeldTransfer(transferId: 0, note: "", confirmationPassword: "x") { status } }',
  },
  'api Query.accounts': { query: '{ accounts { id } }' },
  'api Query.statement': { query: '{ statement(accountId: 0) { nextCursor } }' },
  'api Query.transfers': { query: '{ transfers(first: 1) { nextCursor } }' },
  'api Query.transfer': { query: '{ transfer(id: 0) { id } }' },
  'api Query.bulkTransfers': { query: '{ bulkTransfers(first: 1) { nextCursor } }' },
  'api Query.bulkTransfer': { query: '{ bulkTransfer(id: 0) { id } }' },
  'api Mutation.importBulkTransfer': {
    query: 'mutation { importBulkTransfer(fileBase64: "", fromAccountId: 0, confirmationPassword: "x") { id } }',
  },
  'api Mutation.createBulkTransfer': {
    query: 'mutation { createBulkTransfer(fromAccountId: 0, lines: [], confirmationPassword: "x") { id } }',
  },
  'api Mutation.approveBulkTransfer': { query: 'mutation { approveBulkTransfer(bulkTransferId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.cancelBulkTransfer': { query: 'mutation { cancelBulkTransfer(bulkTransferId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.rejectBulkTransfer': {
    query: 'mutation { rejectBulkTransfer(bulkTransferId: 0, reason: " ", confirmationPassword: "x") { id } }',
  },
  'api Mutation.createTransfer': {
    query: 'mutation($i: CreateTransferInput!) { createTransfer(input: $i, confirmationPassword: "x") { id } }',
    variables: {
      i: {
        fromAccountId: 0,
        destinationBankCode: 'x',
        destinationBranchCode: '001',
        destinationAccountType: 'ORDINARY',
        destinationAccountNumber: '1234567',
        payeeName: 'ｶ)ﾃｽﾄ',
        amount: 1,
      },
    },
  },
  'api Query.banks': { query: 'query($s: String!) { banks(search: $s) { code } }', variables: { s: 'ア'.repeat(41) } },
  'api Query.branches': { query: '{ branches(bankCode: "9999", search: "") { code } }' },
  'api Mutation.approveTransfer': { query: 'mutation { approveTransfer(transferId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.rejectTransfer': { query: 'mutation { rejectTransfer(transferId: 0, reason: " ", confirmationPassword: "x") { id } }' },
  'api Mutation.cancelTransfer': { query: 'mutation { cancelTransfer(transferId: 0, confirmationPassword: "x") { id } }' },
  'api Query.salaryTransfers': { query: '{ salaryTransfers(first: 1) { nextCursor } }' },
  'api Query.salaryTransfer': { query: '{ salaryTransfer(id: 0) { id } }' },
  'api Mutation.importSalaryTransfer': {
    query: 'mutation { importSalaryTransfer(fileBase64: "", fromAccountId: 0, confirmationPassword: "x") { id } }',
  },
  'api Mutation.createSalaryTransfer': {
    query:
      'mutation { createSalaryTransfer(input: { fromAccountId: 0, category: SALARY, payday: "x", lines: [] }, confirmationPassword: "x") { id } }',
  },
  'api Mutation.approveSalaryTransfer': {
    query: 'mutation { approveSalaryTransfer(salaryTransferId: 0, confirmationPassword: "x") { id } }',
  },
  'api Mutation.rejectSalaryTransfer': {
    query: 'mutation { rejectSalaryTransfer(salaryTransferId: 0, reason: " ", confirmationPassword: "x") { id } }',
  },
  'api Mutation.cancelSalaryTransfer': {
    query: 'mutation { cancelSalaryTransfer(salaryTransferId: 0, confirmationPassword: "x") { id } }',
  },
  'api Query.payees': { query: '{ payees(first: 0) { nextCursor } }' },
  'api Mutation.createPayee': {
    query: 'mutation($i: CreatePayeeInput!) { createPayee(input: $i) { id } }',
    variables: {
      i: { nickname: 'x', bankCode: 'x', branchCode: '001', accountType: 'ORDINARY', accountNumber: '1234567', payeeName: 'ﾃｽﾄ' },
    },
  },
  'api Mutation.beginCreatePayee': {
    query: 'mutation($i: CreatePayeeInput!) { beginCreatePayee(input: $i) { binding } }',
    variables: {
      i: { nickname: 'x', bankCode: 'x', branchCode: '001', accountType: 'ORDINARY', accountNumber: '1234567', payeeName: 'ﾃｽﾄ' },
    },
  },
  'api Mutation.beginUpdatePayee': { query: 'mutation { beginUpdatePayee(payeeId: 0, input: {}) { binding } }' },
  'api Mutation.updatePayee': { query: 'mutation { updatePayee(payeeId: 0, input: {}) { id } }' },
  'api Mutation.deletePayee': { query: 'mutation { deletePayee(payeeId: 0) { id } }' },
  'api Query.partners': { query: '{ partners { id } }' },
  'api Mutation.registerPartner': {
    query: 'mutation($i: RegisterPartnerInput!) { registerPartner(input: $i, confirmationPassword: "x") { id } }',
    variables: { i: { name: ' ', redirectUris: [], scopes: [] } },
  },
  'api Mutation.suspendPartner': { query: 'mutation { suspendPartner(partnerId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.resumePartner': { query: 'mutation { resumePartner(partnerId: 0, confirmationPassword: "x") { id } }' },
  'api Query.partnerConsentRequest': { query: '{ partnerConsentRequest(uid: "none") { partnerName } }' },
  'api Mutation.approvePartnerConsent': {
    query: 'mutation { approvePartnerConsent(uid: "none", accountIds: [], confirmationPassword: "x") { redirectTo } }',
  },
  'api Mutation.declinePartnerConsent': { query: 'mutation { declinePartnerConsent(uid: "none") { redirectTo } }' },
  'api Query.partnerGrants': { query: '{ partnerGrants { id } }' },
  'api Mutation.revokePartnerGrant': { query: 'mutation { revokePartnerGrant(grantId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.renewPartnerGrant': { query: 'mutation { renewPartnerGrant(grantId: 0, confirmationPassword: "x") { id } }' },
  'api Query.loginHistory': { query: '{ loginHistory { result } }' },
  'api Mutation.setEmailAddress': {
    query: 'mutation { setEmailAddress(emailAddress: "not an address", confirmationPassword: "x") }',
  },
  'api Mutation.setUserEmailAddress': {
    query: 'mutation { setUserEmailAddress(userId: 0, emailAddress: "not an address", confirmationPassword: "x") { id } }',
  },
  'api Mutation.setNoticeSettings': {
    query: 'mutation { setNoticeSettings(userTopics: [], administratorTopics: [], confirmationPassword: "x") { id } }',
  },
  'api Mutation.logout': { query: 'mutation { logout }' },
  'enroll Query.caCertificate': { query: '{ caCertificate }' },
  'enroll Mutation.enrollCertificate': {
    query: 'mutation { enrollCertificate(loginId: "x", enrollmentCode: "x", password: "x", csrPem: "x") { id } }',
  },
};

type Caller = 'CERTIFICATE_ONLY' | 'USER' | 'APPROVER' | 'PAYROLL' | 'ADMIN' | 'OTHER_CONTRACT_ADMIN' | 'OPERATOR';
const CALLERS: Caller[] = ['CERTIFICATE_ONLY', 'USER', 'APPROVER', 'PAYROLL', 'ADMIN', 'OTHER_CONTRACT_ADMIN', 'OPERATOR'];

/** The demo identities' business permissions (業務権限). */
const PERMISSIONS: Record<Caller, string[]> = {
  CERTIFICATE_ONLY: ['ACCOUNT_INQUIRY', 'TRANSFER_APPROVAL'], // user02's, but without a session
  USER: ['ACCOUNT_INQUIRY', 'TRANSFER'], // user01
  APPROVER: ['ACCOUNT_INQUIRY', 'TRANSFER_APPROVAL'], // user02
  PAYROLL: ['PAYEE_MANAGEMENT', 'SALARY_TRANSFER', 'SALARY_APPROVAL'], // created by admin01
  ADMIN: ['ACCOUNT_INQUIRY'], // admin01
  OTHER_CONTRACT_ADMIN: [],
  OPERATOR: [],
};
const hasSession = (caller: Caller) => caller !== 'CERTIFICATE_ONLY';

/** What access-map.json promises, per caller. */
function expectedReach(requirement: string, caller: Caller): boolean {
  switch (requirement) {
    case 'PUBLIC':
    case 'CERTIFICATE':
      return true;
    case 'SESSION':
    case 'SESSION_ANY_PASSWORD_STATE':
      return hasSession(caller);
    case 'ACCOUNT_INQUIRY':
    case 'TRANSFER':
    case 'TRANSFER_APPROVAL':
    case 'PAYEE_MANAGEMENT':
    case 'SALARY_TRANSFER':
    case 'SALARY_APPROVAL':
      return hasSession(caller) && PERMISSIONS[caller].includes(requirement);
    case 'TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN':
      return expectedReach('TRANSFER', caller) || expectedReach('PAYEE_MANAGEMENT', caller) || expectedReach('ADMIN', caller);
    case 'SALARY_TRANSFER_OR_APPROVAL':
      return expectedReach('SALARY_TRANSFER', caller) || expectedReach('SALARY_APPROVAL', caller);
    case 'SALARY_TRANSFER_OR_ADMIN':
      return expectedReach('SALARY_TRANSFER', caller) || expectedReach('ADMIN', caller);
    case 'TRANSFER_OR_APPROVAL':
      return hasSession(caller) && (PERMISSIONS[caller].includes('TRANSFER') || PERMISSIONS[caller].includes('TRANSFER_APPROVAL'));
    case 'ADMIN':
      return caller === 'ADMIN' || caller === 'OTHER_CONTRACT_ADMIN';
    case 'TRANSFER_OR_ADMIN':
      return expectedReach('TRANSFER', caller) || expectedReach('ADMIN', caller);
    case 'OPERATOR':
      return caller === 'OPERATOR';
    case 'ADMIN_OR_OPERATOR':
      return caller === 'ADMIN' || caller === 'OTHER_CONTRACT_ADMIN' || caller === 'OPERATOR';
    case 'CUSTOMER':
      return hasSession(caller) && caller !== 'OPERATOR';
    default:
      throw new Error(`unknown requirement ${requirement}`);
  }
}

/** The access map also lists every field of every object type; the roots are the operations and the downloads. */
function rootOperations(map: Record<string, string[]>): string[] {
  // "api partner …" keys name what a partner's token reaches by scope (partner-consent specs test them), not a caller's requirement.
  return Object.keys(map).filter((key) => / (Query|Mutation)\.| GET \//.test(key) && !key.startsWith('api partner '));
}

/** A GraphQL call, or a download answered as GraphQL errors are when it is refused. */
async function call(client: GraphqlClient, operation: (typeof OPERATIONS)[string]): Promise<GraphqlResponse> {
  if ('query' in operation) return client.query(operation.query, operation.variables);
  const answer = await client.download(operation.download);
  const text = answer.bytes.toString('utf8');
  return { status: answer.status, headers: answer.headers, body: answer.status === 200 ? { raw: text } : JSON.parse(text) };
}

function refusedAtTheDoor(response: GraphqlResponse): boolean {
  const error = response.body.errors?.[0];
  return error?.extensions?.code === 'UNAUTHENTICATED' || (error?.extensions?.code === 'FORBIDDEN' && 'required' in error.extensions);
}

// More than the e2e budget for every hook and test here: each block logs in seven or more callers
// and enrols some (about twenty password hashes), then sends several hundred requests — over 60 s
// when other tests share the two cores.
jest.setTimeout(180_000);

describe('permission matrix: every operation by every kind of caller', () => {
  let gw: TestGateway;
  const clients = {} as Record<Caller, GraphqlClient>;
  const accessMap: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'access-map.json'), 'utf8'));

  beforeAll(async () => {
    gw = await TestGateway.start();
    clients.CERTIFICATE_ONLY = gw.asUser('user02');
    clients.USER = await sessionAs(gw, 'user01');
    clients.APPROVER = await sessionAs(gw, 'user02');
    clients.ADMIN = await sessionAs(gw, 'admin01');
    clients.PAYROLL = (
      await onboardUser(gw, clients.ADMIN, gw.credentials('admin01').confirmationPassword, 'matrix-payroll', PERMISSIONS.PAYROLL)
    ).client;
    clients.OPERATOR = await sessionAs(gw, 'operator01');
    clients.OTHER_CONTRACT_ADMIN = (await onboardContract(gw, clients.OPERATOR, 'MTRX0001', 'matrix-admin')).client;
  });
  afterAll(() => gw.stop());

  it('failing: every operation in the access map has a call in this matrix, and vice versa', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(rootOperations(accessMap).sort());
  });

  it('failing: each caller reaches exactly the operations the access map grants', async () => {
    const actual: Record<string, Record<Caller, boolean>> = {};
    const expected: Record<string, Record<Caller, boolean>> = {};
    // logout last: it ends the caller's session.
    const names = Object.keys(OPERATIONS).sort((a, b) => Number(a.endsWith('logout')) - Number(b.endsWith('logout')));
    for (const name of names) {
      actual[name] = {} as Record<Caller, boolean>;
      expected[name] = {} as Record<Caller, boolean>;
      for (const caller of CALLERS) {
        const client = name.startsWith('enroll ') ? gw.enrollClient() : clients[caller];
        const response = await call(client, OPERATIONS[name]);
        expect(response.body.errors?.[0]?.extensions?.code).not.toBe('INTERNAL');
        actual[name][caller] = !refusedAtTheDoor(response);
        expected[name][caller] = accessMap[name].every((requirement) => expectedReach(requirement, caller));
      }
    }
    expect(actual).toEqual(expected);
  });
});

/**
 * Every path through the graph is an access path (DESIGN.md §6.6): each path from a root operation
 * to a field that declares its own access (a balance) is called for real by callers with and
 * without that permission. The paths come from the schema, so a new path fails here until it
 * has a call.
 */
type FieldCaller =
  | 'INQUIRY_AND_TRANSFER'
  | 'INQUIRY_AND_APPROVAL'
  | 'TRANSFER_ONLY'
  | 'APPROVAL_ONLY'
  | 'INQUIRY_AND_SALARY'
  | 'SALARY_APPROVAL_ONLY'
  | 'INQUIRY_ONLY_ADMIN';
const FIELD_CALLERS: Record<FieldCaller, string[]> = {
  INQUIRY_AND_TRANSFER: ['ACCOUNT_INQUIRY', 'TRANSFER'], // user01
  INQUIRY_AND_APPROVAL: ['ACCOUNT_INQUIRY', 'TRANSFER_APPROVAL'], // user02
  TRANSFER_ONLY: ['TRANSFER'],
  APPROVAL_ONLY: ['TRANSFER_APPROVAL'],
  INQUIRY_AND_SALARY: ['ACCOUNT_INQUIRY', 'SALARY_TRANSFER'],
  SALARY_APPROVAL_ONLY: ['SALARY_APPROVAL'],
  INQUIRY_ONLY_ADMIN: ['ACCOUNT_INQUIRY'], // admin01
};

interface FieldCall {
  /** Runs the call as `caller`; returns the response and where the field's value is in `data`. */
  run(caller: FieldCaller): Promise<{ response: GraphqlResponse; value: (data: any) => unknown }>;
}

describe('permission matrix: every path to a field that carries a permission', () => {
  let gw: TestGateway;
  const sessions = {} as Record<FieldCaller, { client: GraphqlClient; confirmationPassword: string }>;
  const accessMap: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'access-map.json'), 'utf8'));
  let accountId: number;
  let declaredFields: Record<string, string>;

  const BULK =
    'mutation($a: Int!, $l: [BulkTransferLineInput!]!, $pw: String!) { createBulkTransfer(fromAccountId: $a, lines: $l, confirmationPassword: $pw) { id account { balance } } }';

  // Only the id: a maker without ACCOUNT_INQUIRY makes its own order to cancel.
  const CREATE_TRANSFER_ID =
    'mutation($input: CreateTransferInput!, $pw: String!) { createTransfer(input: $input, confirmationPassword: $pw) { id } }';
  const BULK_ID =
    'mutation($a: Int!, $l: [BulkTransferLineInput!]!, $pw: String!) { createBulkTransfer(fromAccountId: $a, lines: $l, confirmationPassword: $pw) { id } }';

  const SALARY_ID =
    'mutation($i: CreateSalaryTransferInput!, $pw: String!) { createSalaryTransfer(input: $i, confirmationPassword: $pw) { id } }';
  /** A payday whose submission deadline is days away, whatever the hour. */
  const payday = () => [1, 2, 3, 4].reduce((day) => nextBusinessDay(day), businessDate(gw.clock.now()));

  type Kind = 'transfer' | 'bulkTransfer' | 'salaryTransfer';
  /** Who makes an order of each kind by default, and the permission that makes it (a maker cancels its own). */
  const MAKER: Record<Kind, { caller: FieldCaller; permission: string }> = {
    transfer: { caller: 'INQUIRY_AND_TRANSFER', permission: 'TRANSFER' },
    bulkTransfer: { caller: 'INQUIRY_AND_TRANSFER', permission: 'TRANSFER' },
    salaryTransfer: { caller: 'INQUIRY_AND_SALARY', permission: 'SALARY_TRANSFER' },
  };

  /** An order of a kind waiting for approval, made by `maker` (the kind's usual maker unless said), for a checker to decide or its maker to cancel. */
  async function pending(kind: Kind, maker: FieldCaller = MAKER[kind].caller): Promise<number> {
    const { client, confirmationPassword: pw } = sessions[maker];
    const lines = bulkLines(1, () => 1000);
    const response =
      kind === 'transfer'
        ? await client.query(CREATE_TRANSFER_ID, { input: transferInput(accountId, 1000), pw })
        : kind === 'bulkTransfer'
          ? await client.query(BULK_ID, { a: accountId, l: lines, pw })
          : await client.query(SALARY_ID, { i: { fromAccountId: accountId, category: 'SALARY', payday: payday(), lines }, pw });
    expect(response.body.errors).toBeUndefined();
    return response.body.data[`create${kind[0].toUpperCase()}${kind.slice(1)}`].id;
  }

  const MUTATION_ID = { transfer: 'transferId', bulkTransfer: 'bulkTransferId', salaryTransfer: 'salaryTransferId' } as const;

  /** Approve, reject or cancel an order of either kind; a maker cancels its own, the administrator user01's. */
  const decide = (kind: Kind, step: 'approve' | 'reject' | 'cancel'): FieldCall => ({
    async run(caller) {
      const makesOwn = step === 'cancel' && FIELD_CALLERS[caller].includes(MAKER[kind].permission);
      const id = await pending(kind, makesOwn ? caller : MAKER[kind].caller);
      const mutation = `${step}${kind[0].toUpperCase()}${kind.slice(1)}`;
      const reason = step === 'reject' ? ', reason: "matrix"' : '';
      const response = await sessions[caller].client.query(
        `mutation($id: Int!, $pw: String!) { ${mutation}(${MUTATION_ID[kind]}: $id${reason}, confirmationPassword: $pw) { id status account { balance } } }`,
        { id, pw: sessions[caller].confirmationPassword },
      );
      return { response, value: (data) => data?.[mutation]?.account?.balance };
    },
  });

  /** The list of a kind and one order by id, as `caller` sees them. */
  const list = (query: 'transfers' | 'bulkTransfers' | 'salaryTransfers'): FieldCall => ({
    async run(caller) {
      const response = await sessions[caller].client.query(`{ ${query}(first: 50) { items { id account { balance } } } }`);
      return { response, value: (data) => data?.[query]?.items?.[0]?.account?.balance };
    },
  });
  const one = (query: 'transfer' | 'bulkTransfer' | 'salaryTransfer'): FieldCall => ({
    async run(caller) {
      const client = sessions[caller].client;
      const listed = await client.query(`{ ${query}s(first: 1) { items { id } } }`);
      const id = listed.body.data?.[`${query}s`]?.items?.[0]?.id ?? 0;
      const response = await client.query(`query($id: Int!) { ${query}(id: $id) { id account { balance } } }`, { id });
      return { response, value: (data) => data?.[query]?.account?.balance };
    },
  });

  const FIELD_PATHS: Record<string, FieldCall> = {
    'api Query.accounts.balance': {
      async run(caller) {
        return {
          response: await sessions[caller].client.query('{ accounts { id balance } }'),
          value: (data) => data?.accounts?.[0]?.balance,
        };
      },
    },
    'api Mutation.createTransfer.account.balance': {
      async run(caller) {
        const response = await sessions[caller].client.query(CREATE_TRANSFER, {
          input: transferInput(accountId, 1000),
          pw: sessions[caller].confirmationPassword,
        });
        return { response, value: (data) => data?.createTransfer?.account?.balance };
      },
    },
    'api Query.transfers.items.account.balance': list('transfers'),
    'api Query.transfer.account.balance': one('transfer'),
    'api Mutation.approveTransfer.account.balance': decide('transfer', 'approve'),
    'api Mutation.rejectTransfer.account.balance': decide('transfer', 'reject'),
    'api Mutation.cancelTransfer.account.balance': decide('transfer', 'cancel'),
    'api Mutation.createBulkTransfer.account.balance': {
      async run(caller) {
        const { client, confirmationPassword: pw } = sessions[caller];
        const response = await client.query(BULK, { a: accountId, l: bulkLines(1, () => 1000), pw });
        return { response, value: (data) => data?.createBulkTransfer?.account?.balance };
      },
    },
    'api Mutation.importBulkTransfer.account.balance': {
      async run(caller) {
        const file = zenginFile(
          bulkLines(1, () => 1000),
          // The first day the file can run on, whatever the day and hour: a header's date is kept as asked or refused.
          monthDay(gw.gateway.services.executionDates.window(gw.clock.now()).first),
        ).toString('base64');
        const response = await sessions[caller].client.query(
          'mutation($f: String!, $a: Int!, $pw: String!) { importBulkTransfer(fileBase64: $f, fromAccountId: $a, confirmationPassword: $pw) { id account { balance } } }',
          { f: file, a: accountId, pw: sessions[caller].confirmationPassword },
        );
        return { response, value: (data) => data?.importBulkTransfer?.account?.balance };
      },
    },
    'api Query.bulkTransfers.items.account.balance': list('bulkTransfers'),
    'api Query.bulkTransfer.account.balance': one('bulkTransfer'),
    'api Mutation.approveBulkTransfer.account.balance': decide('bulkTransfer', 'approve'),
    'api Mutation.rejectBulkTransfer.account.balance': decide('bulkTransfer', 'reject'),
    'api Mutation.cancelBulkTransfer.account.balance': decide('bulkTransfer', 'cancel'),
    'api Mutation.createSalaryTransfer.account.balance': {
      async run(caller) {
        const { client, confirmationPassword: pw } = sessions[caller];
        const response = await client.query(
          'mutation($i: CreateSalaryTransferInput!, $pw: String!) { createSalaryTransfer(input: $i, confirmationPassword: $pw) { id account { balance } } }',
          { i: { fromAccountId: accountId, category: 'BONUS', payday: payday(), lines: bulkLines(1, () => 1000) }, pw },
        );
        return { response, value: (data) => data?.createSalaryTransfer?.account?.balance };
      },
    },
    'api Mutation.importSalaryTransfer.account.balance': {
      async run(caller) {
        const file = zenginFile(
          bulkLines(1, () => 1000),
          monthDay(payday()),
          '11',
        );
        const response = await sessions[caller].client.query(
          'mutation($f: String!, $a: Int!, $pw: String!) { importSalaryTransfer(fileBase64: $f, fromAccountId: $a, confirmationPassword: $pw) { id account { balance } } }',
          { f: file.toString('base64'), a: accountId, pw: sessions[caller].confirmationPassword },
        );
        return { response, value: (data) => data?.importSalaryTransfer?.account?.balance };
      },
    },
    'api Query.salaryTransfers.items.account.balance': list('salaryTransfers'),
    'api Query.salaryTransfer.account.balance': one('salaryTransfer'),
    'api Mutation.approveSalaryTransfer.account.balance': decide('salaryTransfer', 'approve'),
    'api Mutation.rejectSalaryTransfer.account.balance': decide('salaryTransfer', 'reject'),
    'api Mutation.cancelSalaryTransfer.account.balance': decide('salaryTransfer', 'cancel'),
  };

  beforeAll(async () => {
    gw = await TestGateway.start();
    sessions.INQUIRY_AND_TRANSFER = {
      client: await sessionAs(gw, 'user01'),
      confirmationPassword: gw.credentials('user01').confirmationPassword,
    };
    sessions.INQUIRY_AND_APPROVAL = {
      client: await sessionAs(gw, 'user02'),
      confirmationPassword: gw.credentials('user02').confirmationPassword,
    };
    const admin = { client: await sessionAs(gw, 'admin01'), confirmationPassword: gw.credentials('admin01').confirmationPassword };
    sessions.INQUIRY_ONLY_ADMIN = admin;
    sessions.TRANSFER_ONLY = await onboardUser(gw, admin.client, admin.confirmationPassword, 'maker-only', ['TRANSFER']);
    sessions.APPROVAL_ONLY = await onboardUser(gw, admin.client, admin.confirmationPassword, 'approver-only', ['TRANSFER_APPROVAL']);
    sessions.INQUIRY_AND_SALARY = await onboardUser(
      gw,
      admin.client,
      admin.confirmationPassword,
      'salary-maker',
      FIELD_CALLERS.INQUIRY_AND_SALARY,
    );
    sessions.SALARY_APPROVAL_ONLY = await onboardUser(gw, admin.client, admin.confirmationPassword, 'salary-checker', ['SALARY_APPROVAL']);
    // The bank has opened 給与振込 for the contract.
    await gw.gateway.services.db.writableManager.update(Contract, { code: 'DEMO0001' }, { dailySalaryTransferLimit: 100_000_000 });
    accountId = (await admin.client.query('{ accounts { id } }')).body.data.accounts[0].id;
    declaredFields = pathsToDeclaredFields({ api: await buildApiSchema(), enroll: await buildEnrollSchema() });
  });
  afterAll(() => gw.stop());

  it('failing: every path from an operation to a field with its own access has a call here, and vice versa', async () => {
    expect(Object.keys(FIELD_PATHS).sort()).toEqual(Object.keys(declaredFields));
  });

  it('failing: each caller reads the field on every path exactly when the root and the field both allow it', async () => {
    const actual: Record<string, Record<string, boolean>> = {};
    const expected: Record<string, Record<string, boolean>> = {};
    // The lists and the reads by id last: by then every maker has made an order of each kind it can see.
    const read = (name: string) => Number(/Query\.(transfer|bulkTransfer|salaryTransfer)/.test(name));
    const names = Object.keys(FIELD_PATHS).sort((a, b) => read(a) - read(b));
    for (const name of names) {
      const [listener, route] = name.split(' ');
      const segments = route.split('.');
      const root = `${listener} ${segments[0]}.${segments[1]}`;
      const field = declaredFields[name];
      actual[name] = {};
      expected[name] = {};
      for (const caller of Object.keys(FIELD_CALLERS) as FieldCaller[]) {
        const { response, value } = await FIELD_PATHS[name].run(caller);
        const errors = response.body.errors ?? [];
        expect(errors.map((e) => e.extensions?.code)).not.toContain('INTERNAL');
        const fieldValue = value(response.body.data);
        actual[name][caller] = typeof fieldValue === 'number';
        const allowed = (requirements: string[]) =>
          requirements.every((r) => fieldReach(r, FIELD_CALLERS[caller], caller === 'INQUIRY_ONLY_ADMIN'));
        expected[name][caller] = allowed(accessMap[root]) && allowed(accessMap[field]);
        if (!actual[name][caller] && allowed(accessMap[root])) {
          // Refused at the field only: the operation's own answer stands beside a FORBIDDEN at the balance.
          expect(errors.some((e) => e.extensions?.code === 'FORBIDDEN' && (e as any).path?.at(-1) === segments.at(-1))).toBe(true);
          expect(response.body.data?.[segments[1]]).not.toBeNull();
        }
      }
    }
    expect(actual).toEqual(expected);
  });
});

/** What a requirement of the access map means for a logged-in customer user (or administrator) with these permissions. */
function fieldReach(requirement: string, permissions: string[], administrator: boolean): boolean {
  switch (requirement) {
    case 'SESSION':
    case 'SESSION_ANY_PASSWORD_STATE':
    case 'CERTIFICATE':
    case 'CUSTOMER':
      return true;
    case 'ACCOUNT_INQUIRY':
    case 'TRANSFER':
    case 'TRANSFER_APPROVAL':
      return permissions.includes(requirement);
    case 'TRANSFER_OR_APPROVAL':
      return permissions.includes('TRANSFER') || permissions.includes('TRANSFER_APPROVAL');
    case 'TRANSFER_OR_ADMIN':
      return administrator || permissions.includes('TRANSFER');
    case 'TRANSFER_OR_APPROVAL_OR_ADMIN':
      return administrator || fieldReach('TRANSFER_OR_APPROVAL', permissions, administrator);
    case 'SALARY_TRANSFER':
    case 'SALARY_APPROVAL':
      return permissions.includes(requirement);
    case 'SALARY_TRANSFER_OR_APPROVAL':
      return permissions.includes('SALARY_TRANSFER') || permissions.includes('SALARY_APPROVAL');
    case 'SALARY_TRANSFER_OR_ADMIN':
      return administrator || permissions.includes('SALARY_TRANSFER');
    case 'SALARY_TRANSFER_OR_APPROVAL_OR_ADMIN':
      return administrator || fieldReach('SALARY_TRANSFER_OR_APPROVAL', permissions, administrator);
    default:
      throw new Error(`unexpected requirement ${requirement} on a field path`);
  }
}
