import { ME, login, loginAsPartner } from '../helpers/auth';
import { errorCode } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';
import { onboardContract, sessionAs } from '../helpers/lifecycle';

const STOP = 'mutation($reason: String!, $contractId: Int) { emergencyStop(reason: $reason, contractId: $contractId) { id status } }';
const RESUME =
  'mutation($id: Int!, $note: String!, $pw: String!) { resumeContract(contractId: $id, note: $note, confirmationPassword: $pw) { status } }';
const TERMINATE =
  'mutation($id: Int!, $note: String!, $pw: String!) { terminateContract(contractId: $id, note: $note, confirmationPassword: $pw) { status } }';

describe('emergency stop (緊急停止) and re-contracting', () => {
  let gw: TestGateway;
  let second: GatewayProcess;
  beforeAll(async () => {
    gw = await TestGateway.start();
    second = await GatewayProcess.start(gw);
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
  });

  const demoContractId = async (): Promise<number> => {
    const contracts = (await (await sessionAs(gw, 'operator01')).query('{ contracts { id code } }')).body.data.contracts;
    return contracts.find((c: { code: string }) => c.code === 'DEMO0001').id;
  };

  it('failing: an administrator’s emergency stop refuses every session of the contract at once, on both instances; only an operator resumes', async () => {
    const contractId = await demoContractId();
    const admin = await sessionAs(gw, 'admin01');
    const user01 = await sessionAs(gw, 'user01');
    const user02OnSecond = gw.withCertificate(gw.demoIdentity('user02'), second.apiOrigin);
    await loginAsPartner(user02OnSecond, gw.credentials('user02').loginPassword);
    expect((await user02OnSecond.query(ME)).body.data.me.loginId).toBe('user02');

    const stopped = await admin.query(STOP, { reason: 'PC lost on a train' });
    expect(stopped.body.data.emergencyStop.status).toBe('STOPPED');
    for (const client of [user01, user02OnSecond, admin]) {
      const refused = await client.query(ME);
      expect(errorCode(refused)).toBe('CONTRACT_STOPPED');
      expect(refused.body.errors![0].message).toMatch(/emergency stop/);
    }
    // Not even login or whoami: nothing but the clear error.
    expect(errorCode(await login(gw.asUser('user01'), gw.credentials('user01').loginPassword))).toBe('CONTRACT_STOPPED');
    // The administrator cannot resume (the bank's operation, and the stop refuses them too).
    expect(
      errorCode(await admin.query(RESUME, { id: contractId, note: 'please resume', pw: gw.credentials('admin01').confirmationPassword })),
    ).toBe('CONTRACT_STOPPED');

    const operator = await sessionAs(gw, 'operator01');
    const resumed = await operator.query(RESUME, {
      id: contractId,
      note: 'Customer visited the branch with seal',
      pw: gw.credentials('operator01').confirmationPassword,
    });
    expect(resumed.body.data.resumeContract.status).toBe('ACTIVE');
    // Sessions ended by the stop stay ended; a new login works.
    expect(errorCode(await user01.query(ME))).toBe('UNAUTHENTICATED');
    const again = gw.asUser('user01');
    await loginAsPartner(again, gw.credentials('user01').loginPassword);
    expect((await again.query(ME)).body.data.me.loginId).toBe('user01');
  });

  it('failing: an administrator cannot stop another contract; an operator can stop any', async () => {
    const operator = await sessionAs(gw, 'operator01');
    const other = await onboardContract(gw, operator, 'OTHR0001', 'other-admin');
    const admin = await sessionAs(gw, 'admin01');
    expect(errorCode(await admin.query(STOP, { reason: 'not mine', contractId: other.contractId }))).toBe('FORBIDDEN');
    expect((await other.client.query(ME)).body.data.me.loginId).toBe('other-admin');
    const byBank = await operator.query(STOP, { reason: 'reported by phone', contractId: other.contractId });
    expect(byBank.body.data.emergencyStop.status).toBe('STOPPED');
    expect(errorCode(await other.client.query(ME))).toBe('CONTRACT_STOPPED');
    expect(errorCode(await operator.query(STOP, { reason: 'operators must name one' }))).toBe('BAD_USER_INPUT');
  });

  it('successful: SIGTERM stops a gateway process gracefully: exit code 0, and its port is closed', async () => {
    const spare = await GatewayProcess.start(gw);
    const client = gw.withCertificate(gw.demoIdentity('user01'), spare.apiOrigin);
    expect((await client.query('{ whoami { loginId } }')).body.data.whoami.loginId).toBe('user01');
    await client.close();
    expect(await spare.stop()).toBe(0);
    await expect(gw.withCertificate(gw.demoIdentity('user01'), spare.apiOrigin).query('{ whoami { loginId } }')).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });

  it('failing: re-contract — after termination every old certificate is refused; the new contract works', async () => {
    const operator = await sessionAs(gw, 'operator01');
    const old = await onboardContract(gw, operator, 'RECO0001', 'reco-admin');
    const oldConnection = old.client;
    const terminated = await operator.query(TERMINATE, {
      id: old.contractId,
      note: 'Cancelled at branch, re-contract',
      pw: gw.credentials('operator01').confirmationPassword,
    });
    expect(terminated.body.data.terminateContract.status).toBe('TERMINATED');
    expect(errorCode(await oldConnection.query(ME))).toBe('CERTIFICATE_REJECTED');
    expect(errorCode(await gw.withCertificate(old.identity, second.apiOrigin).query('{ whoami { loginId } }'))).toBe(
      'CERTIFICATE_REJECTED',
    );

    const renewed = await onboardContract(gw, operator, 'RECO0002', 'reco-admin2');
    expect((await renewed.client.query(ME)).body.data.me.loginId).toBe('reco-admin2');
    expect(errorCode(await gw.withCertificate(old.identity).query('{ whoami { loginId } }'))).toBe('CERTIFICATE_REJECTED');
  });
});
