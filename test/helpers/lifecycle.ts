import { expect } from '@jest/globals';
import { createCsr } from '../../scripts/cert';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { CHANGE_PASSWORD, loginAsPartner } from './auth';
import type { GraphqlClient, TlsIdentity } from './client';
import type { DemoLoginId, TestGateway } from './gateway';

export const ENROLL = `mutation Enroll($loginId: String!, $code: String!, $password: String!, $csrPem: String!) {
  enrollCertificate(loginId: $loginId, enrollmentCode: $code, password: $password, csrPem: $csrPem) {
    id loginId certificatePem caCertificatePem serialNumber fingerprint notAfter
  }
}`;

export const CREATE_CONTRACT = `mutation Create($input: CreateContractInput!, $confirmationPassword: String!) {
  createContract(input: $input, confirmationPassword: $confirmationPassword) {
    contract { id code name status }
    administratorLoginId
    temporaryPasswords { loginPassword confirmationPassword }
    enrollmentCode { code expiresAt loginId }
  }
}`;

export const CREATE_USER = `mutation CreateUser($input: CreateUserInput!, $confirmationPassword: String!) {
  createUser(input: $input, confirmationPassword: $confirmationPassword) {
    user { id loginId role status permissions transferLimitPerTransaction dailyTransferLimit activeCertificate { id } }
    temporaryPasswords { loginPassword confirmationPassword }
    enrollmentCode { code expiresAt }
  }
}`;

/** A demo identity with a PIN session (the token travels as a bearer). */
export async function sessionAs(gw: TestGateway, loginId: DemoLoginId): Promise<GraphqlClient> {
  const client = gw.asUser(loginId);
  await loginAsPartner(client, gw.credentials(loginId).loginPassword);
  return client;
}

/** Makes a key and CSR as the helper does and enrolls on the enrollment listener. */
export async function enroll(
  gw: TestGateway,
  loginId: string,
  code: string,
  password: string,
): Promise<TlsIdentity & { certificateId: number }> {
  const keys = generateRsaKeyPair();
  const response = await gw
    .enrollClient()
    .query(ENROLL, { loginId, code, password, csrPem: createCsr(keys.privateKeyPem, keys.publicKeyPem, loginId) });
  expect(response.body.errors).toBeUndefined();
  const issued = response.body.data.enrollCertificate;
  return { certificatePem: issued.certificatePem, privateKeyPem: keys.privateKeyPem, certificateId: issued.id };
}

export interface Onboarded {
  contractId: number;
  client: GraphqlClient;
  identity: TlsIdentity;
  loginPassword: string;
  confirmationPassword: string;
}

/** Logs in with temporary passwords and changes both, as a new user must. */
export async function firstLogin(
  gw: TestGateway,
  identity: TlsIdentity,
  temporary: { loginPassword: string; confirmationPassword: string },
  suffix: string,
) {
  const client = gw.withCertificate(identity);
  await loginAsPartner(client, temporary.loginPassword);
  const loginPassword = `Login${suffix}9x`;
  const confirmationPassword = `Confirm${suffix}8y`;
  for (const [kind, current, next] of [
    ['LOGIN', temporary.loginPassword, loginPassword],
    ['CONFIRMATION', temporary.confirmationPassword, confirmationPassword],
  ]) {
    const changed = await client.query(CHANGE_PASSWORD, { kind, current, next });
    expect(changed.body.errors).toBeUndefined();
  }
  return { client, loginPassword, confirmationPassword };
}

/** An operator creates a contract; its administrator enrolls, logs in and changes the temporary passwords. */
export async function onboardContract(
  gw: TestGateway,
  operator: GraphqlClient,
  code: string,
  administratorLoginId: string,
): Promise<Onboarded> {
  const created = await operator.query(CREATE_CONTRACT, {
    input: { code, name: `${code} Co., Ltd.`, administratorLoginId, administratorName: `Admin of ${code}` },
    confirmationPassword: gw.credentials('operator01').confirmationPassword,
  });
  expect(created.body.errors).toBeUndefined();
  const { contract, temporaryPasswords, enrollmentCode } = created.body.data.createContract;
  const identity = await enroll(gw, administratorLoginId, enrollmentCode.code, temporaryPasswords.loginPassword);
  const session = await firstLogin(gw, identity, temporaryPasswords, code);
  return { contractId: contract.id, identity, ...session };
}

/** The contract's administrator creates a user with these permissions and all accounts; the user enrolls and changes the temporary passwords. */
export async function onboardUser(
  gw: TestGateway,
  admin: GraphqlClient,
  adminConfirmationPassword: string,
  loginId: string,
  permissions: string[],
): Promise<{ client: GraphqlClient; loginPassword: string; confirmationPassword: string }> {
  const created = await admin.query(CREATE_USER, {
    input: { loginId, displayName: `User ${loginId}`, permissions, transferLimitPerTransaction: 1_000_000, dailyTransferLimit: 3_000_000 },
    confirmationPassword: adminConfirmationPassword,
  });
  expect(created.body.errors).toBeUndefined();
  const { user, temporaryPasswords, enrollmentCode } = created.body.data.createUser;
  const accounts = await admin.query('{ accounts { id } }');
  const assigned = await admin.query(
    'mutation($u: Int!, $a: [Int!]!, $pw: String!) { setUserAccounts(userId: $u, accountIds: $a, confirmationPassword: $pw) { id } }',
    {
      u: user.id,
      a: accounts.body.data.accounts.map((a: { id: number }) => a.id),
      pw: adminConfirmationPassword,
    },
  );
  expect(assigned.body.errors).toBeUndefined();
  const identity = await enroll(gw, loginId, enrollmentCode.code, temporaryPasswords.loginPassword);
  return firstLogin(gw, identity, temporaryPasswords, loginId.replace(/[^a-z0-9]/gi, ''));
}
