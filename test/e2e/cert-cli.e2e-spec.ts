import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestGateway } from '../helpers/gateway';
import { CREATE_USER, sessionAs } from '../helpers/lifecycle';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Runs `npm run cert`'s command in a pseudo-terminal (util-linux `script`), as a person at a
 * terminal does; `answer` is typed once the password prompt appears. Returns all the terminal showed.
 */
function runInTerminal(args: string[], answer: string): Promise<{ status: number | null; screen: string }> {
  const command = ['node', 'scripts/built.cjs', 'cert', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qef', '--echo', 'never', '-c', command, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, ENROLL_PASSWORD: '' },
    });
    let screen = '';
    let typed = false;
    const onOutput = (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      if (!typed && screen.includes('Login password: ')) {
        typed = true;
        child.stdin.write(`${answer}\r`);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, screen }));
  });
}

describe('npm run cert (the command-line certificate helper)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('successful: the login password typed at the prompt is not shown, the certificate is issued, and a second run compiles nothing', async () => {
    const admin = await sessionAs(gw, 'admin01');
    const created = await admin.query(CREATE_USER, {
      input: { loginId: 'cli-user1', displayName: 'CLI User', permissions: [], transferLimitPerTransaction: 0, dailyTransferLimit: 0 },
      confirmationPassword: gw.credentials('admin01').confirmationPassword,
    });
    expect(created.body.errors).toBeUndefined();
    const { temporaryPasswords, enrollmentCode } = created.body.data.createUser;
    const caFile = path.join(gw.dir, 'ca.pem');
    fs.writeFileSync(caFile, gw.caPem);
    const out = path.join(gw.dir, 'mine');
    // A first run compiles only if dist is older than the sources; the next one must not.
    spawnSync(process.execPath, ['scripts/built.cjs', 'cert'], { cwd: ROOT, stdio: 'ignore' });

    const { status, screen } = await runInTerminal(
      [
        'request',
        '--login-id',
        'cli-user1',
        '--code',
        enrollmentCode.code,
        '--enroll-url',
        gw.enrollOrigin,
        '--ca',
        caFile,
        '--out',
        out,
        '--p12-password',
        'Cli-p12-2025',
      ],
      temporaryPasswords.loginPassword,
    );
    expect({ status, screen }).toEqual({ status: 0, screen: expect.stringMatching(/Certificate [0-9A-F]+ issued/) });
    expect(screen).not.toContain(temporaryPasswords.loginPassword);
    expect(screen).not.toContain('Compiling the TypeScript');
    expect(fs.existsSync(path.join(out, 'cli-user1.p12'))).toBe(true);
    // More than the e2e budget: the first run may compile the whole server (tsc), which took over a
    // minute on a machine whose two cores were busy with other builds.
  }, 180_000);
});
