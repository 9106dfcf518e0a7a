import fs from 'node:fs';
import { User } from '../../src/users/user.entity';
import { Role } from '../../src/users/user.entity';
import { errorCode } from '../helpers/client';
import { TestGateway } from '../helpers/gateway';
import { registerIdentity } from '../helpers/identities';

describe('production mode', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.startProduction();
  });
  afterAll(() => gw.stop());

  it('successful: no demo data and no development PKI are ever created', async () => {
    expect(await gw.gateway.services.db.writableManager.count(User)).toBe(0);
    expect(gw.gateway.demoCredentials).toBeNull();
    expect(fs.existsSync(gw.config.pki.certsDir)).toBe(false);
  });

  it('successful: a certificate from the configured bank CA works', async () => {
    const operator = await registerIdentity(gw.gateway, 'op-prod', { role: Role.OPERATOR });
    const response = await gw.withCertificate(operator).query('{ whoami { loginId role } }');
    expect(response.body.data.whoami).toEqual({ loginId: 'op-prod', role: 'OPERATOR' });
  });

  it('failing: a fault inside a resolver answers INTERNAL with no SQL, table name or stack', async () => {
    const operator = await registerIdentity(gw.gateway, 'op-login', { role: Role.OPERATOR });
    const client = gw.withCertificate(operator);
    const db = gw.gateway.services.db;
    await db.writableManager.query('ALTER TABLE sessions RENAME TO sessions_moved');
    try {
      const response = await client.query('mutation($pin: String!) { login(pin: $pin) { token } }', { pin: operator.loginPassword });
      expect(errorCode(response)).toBe('INTERNAL');
      expect(response.body.errors![0].message).toBe('Internal error. Please try again later.');
      expect(JSON.stringify(response.body)).not.toMatch(/sessions|INSERT|UPDATE|stack|\.ts|\.js/i);
      expect(JSON.stringify(response.body)).not.toContain(operator.loginPassword);
    } finally {
      await db.writableManager.query('ALTER TABLE sessions_moved RENAME TO sessions');
    }
  });

  it('failing: an internal fault answers INTERNAL with no SQL, table name or stack', async () => {
    const operator = await registerIdentity(gw.gateway, 'op-fault', { role: Role.OPERATOR });
    const client = gw.withCertificate(operator);
    const db = gw.gateway.services.db;
    await db.writableManager.query('ALTER TABLE certificates RENAME TO certificates_moved');
    try {
      const response = await client.query('{ whoami { loginId } }');
      expect(response.status).toBe(500);
      expect(errorCode(response)).toBe('INTERNAL');
      const text = JSON.stringify(response.body);
      expect(text).not.toMatch(/certificates|SELECT|stack|at .*\.js/i);
    } finally {
      await db.writableManager.query('ALTER TABLE certificates_moved RENAME TO certificates');
    }
  });
});
