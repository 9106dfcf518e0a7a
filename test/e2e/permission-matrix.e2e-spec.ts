import fs from 'node:fs';
import path from 'node:path';
import type { GraphqlClient, GraphqlResponse } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { onboardContract, sessionAs } from '../helpers/lifecycle';

/**
 * Who can reach each operation, tried for real: every operation of access-map.json is called by
 * every kind of caller, with arguments that fail harmlessly after the access check (unknown ids,
 * invalid input), so a refusal at the door (UNAUTHENTICATED, or FORBIDDEN naming the required
 * role) is told apart from a refusal by the operation itself.
 */
const OPERATIONS: Record<string, { query: string; variables?: Record<string, unknown> }> = {
  'api Query.whoami': { query: '{ whoami { loginId } }' },
  'api Query.me': { query: '{ me { loginId } }' },
  'api Query.users': { query: '{ users { id } }' },
  'api Query.contracts': { query: '{ contracts { id } }' },
  'api Query.auditEvents': { query: '{ auditEvents(first: 1) { nextCursor } }' },
  'api Mutation.login': { query: 'mutation($pin: String!) { login(pin: $pin) { token } }', variables: { pin: 'x'.repeat(129) } },
  'api Mutation.changePassword': { query: 'mutation { changePassword(kind: LOGIN, current: "x", next: "a") { kind } }' },
  'api Mutation.renewCertificate': { query: 'mutation { renewCertificate(csrPem: "x") { id } }' },
  'api Mutation.revokeCertificate': { query: 'mutation { revokeCertificate(certificateId: 0, reason: "matrix") { id } }' },
  'api Mutation.createUser': {
    query: 'mutation($i: CreateUserInput!) { createUser(input: $i, confirmationPassword: "x") { user { id } } }',
    variables: { i: { loginId: 'X', displayName: 'x', permissions: [], transferLimitPerTransaction: 0, dailyTransferLimit: 0 } },
  },
  'api Mutation.setUserPermissions': { query: 'mutation { setUserPermissions(userId: 0, permissions: [], confirmationPassword: "x") { id } }' },
  'api Mutation.setUserLimits': {
    query: 'mutation { setUserLimits(userId: 0, limits: { transferLimitPerTransaction: 0, dailyTransferLimit: 0 }, confirmationPassword: "x") { id } }',
  },
  'api Mutation.resetUserPasswords': { query: 'mutation { resetUserPasswords(userId: 0, confirmationPassword: "x") { user { id } } }' },
  'api Mutation.suspendUser': { query: 'mutation { suspendUser(userId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.resumeUser': { query: 'mutation { resumeUser(userId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.issueEnrollmentCode': { query: 'mutation { issueEnrollmentCode(userId: 0, confirmationPassword: "x") { code } }' },
  'api Mutation.setIpAllowList': { query: 'mutation { setIpAllowList(entries: ["not-an-address"], confirmationPassword: "x") { id } }' },
  'api Mutation.emergencyStop': { query: 'mutation { emergencyStop(reason: "  ") { id } }' },
  'api Mutation.createContract': {
    query: 'mutation($i: CreateContractInput!) { createContract(input: $i, confirmationPassword: "x") { administratorLoginId } }',
    variables: { i: { code: 'x', name: 'x', administratorLoginId: 'X', administratorName: 'x' } },
  },
  'api Mutation.resetAdministratorPasswords': { query: 'mutation { resetAdministratorPasswords(loginId: "nobody", note: "", confirmationPassword: "x") { loginPassword } }' },
  'api Mutation.resetOperatorPasswords': { query: 'mutation { resetOperatorPasswords(loginId: "nobody", note: "", confirmationPassword: "x") { loginPassword } }' },
  'api Mutation.issueAdministratorEnrollmentCode': { query: 'mutation { issueAdministratorEnrollmentCode(loginId: "nobody", note: "", confirmationPassword: "x") { code } }' },
  'api Mutation.resumeContract': { query: 'mutation { resumeContract(contractId: 0, note: "", confirmationPassword: "x") { id } }' },
  'api Mutation.terminateContract': { query: 'mutation { terminateContract(contractId: 0, note: "", confirmationPassword: "x") { id } }' },
  'api Mutation.setUserAccounts': { query: 'mutation { setUserAccounts(userId: 0, accountIds: [], confirmationPassword: "x") { id } }' },
  'api Mutation.setContractTransferSettings': {
    query: 'mutation { setContractTransferSettings(contractId: 0, settings: { dailyTransferLimit: 0, requiresApproval: false }, note: "", confirmationPassword: "x") { id } }',
  },
  'api Query.accounts': { query: '{ accounts { id } }' },
  'api Query.statement': { query: '{ statement(accountId: 0) { nextCursor } }' },
  'api Query.transfers': { query: '{ transfers(first: 1) { nextCursor } }' },
  'api Mutation.createTransfer': {
    query: 'mutation($i: CreateTransferInput!) { createTransfer(input: $i, confirmationPassword: "x") { id } }',
    variables: {
      i: { fromAccountId: 0, destinationBankCode: 'x', destinationBranchCode: '001', destinationAccountType: 'ORDINARY', destinationAccountNumber: '1234567', payeeName: 'ｶ)ﾃｽﾄ', amount: 1 },
    },
  },
  'api Mutation.approveTransfer': { query: 'mutation { approveTransfer(transferId: 0, confirmationPassword: "x") { id } }' },
  'api Mutation.rejectTransfer': { query: 'mutation { rejectTransfer(transferId: 0, reason: " ", confirmationPassword: "x") { id } }' },
  'api Mutation.logout': { query: 'mutation { logout }' },
  'enroll Query.caCertificate': { query: '{ caCertificate }' },
  'enroll Mutation.enrollCertificate': { query: 'mutation { enrollCertificate(loginId: "x", enrollmentCode: "x", password: "x", csrPem: "x") { id } }' },
};

type Caller = 'CERTIFICATE_ONLY' | 'USER' | 'APPROVER' | 'ADMIN' | 'OTHER_CONTRACT_ADMIN' | 'OPERATOR';
const CALLERS: Caller[] = ['CERTIFICATE_ONLY', 'USER', 'APPROVER', 'ADMIN', 'OTHER_CONTRACT_ADMIN', 'OPERATOR'];

/** The demo identities' business permissions (業務権限). */
const PERMISSIONS: Record<Caller, string[]> = {
  CERTIFICATE_ONLY: ['ACCOUNT_INQUIRY', 'TRANSFER_APPROVAL'], // user02's, but without a session
  USER: ['ACCOUNT_INQUIRY', 'TRANSFER'], // user01
  APPROVER: ['ACCOUNT_INQUIRY', 'TRANSFER_APPROVAL'], // user02
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
      return hasSession(caller) && PERMISSIONS[caller].includes(requirement);
    case 'TRANSFER_OR_APPROVAL':
      return hasSession(caller) && (PERMISSIONS[caller].includes('TRANSFER') || PERMISSIONS[caller].includes('TRANSFER_APPROVAL'));
    case 'ADMIN':
      return caller === 'ADMIN' || caller === 'OTHER_CONTRACT_ADMIN';
    case 'OPERATOR':
      return caller === 'OPERATOR';
    case 'ADMIN_OR_OPERATOR':
      return caller === 'ADMIN' || caller === 'OTHER_CONTRACT_ADMIN' || caller === 'OPERATOR';
    default:
      throw new Error(`unknown requirement ${requirement}`);
  }
}

function refusedAtTheDoor(response: GraphqlResponse): boolean {
  const error = response.body.errors?.[0];
  return error?.extensions?.code === 'UNAUTHENTICATED' || (error?.extensions?.code === 'FORBIDDEN' && 'required' in error.extensions);
}

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
    clients.OPERATOR = await sessionAs(gw, 'operator01');
    clients.OTHER_CONTRACT_ADMIN = (await onboardContract(gw, clients.OPERATOR, 'MTRX0001', 'matrix-admin')).client;
  });
  afterAll(() => gw.stop());

  it('failing: every operation in the access map has a call in this matrix, and vice versa', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(Object.keys(accessMap).sort());
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
        const { query, variables } = OPERATIONS[name];
        const response = await client.query(query, variables);
        expect(response.body.errors?.[0]?.extensions?.code).not.toBe('INTERNAL');
        actual[name][caller] = !refusedAtTheDoor(response);
        expected[name][caller] = accessMap[name].every((requirement) => expectedReach(requirement, caller));
      }
    }
    expect(actual).toEqual(expected);
  });
});
