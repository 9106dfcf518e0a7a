import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestGateway } from '../helpers/gateway';
import { GatewayProcess } from '../helpers/gateway-process';

const ROOT = path.join(__dirname, '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `condition` holds, or fails after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Issue 21, item 3: a child process a test starts never outlives the test — when it does not start
 * in time, when the test fails before its clean-up, when jest itself is killed — and jest ends on
 * its own after such a failure instead of hanging on the child's open pipe.
 */
describe('child processes of a test', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cibg-children-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('failing: a gateway process that does not start within its budget is killed, and start() says so', async () => {
    const gw = await TestGateway.start();
    try {
      // A "gateway" that never says it started: writes its pid and idles.
      const main = path.join(dir, 'never-starts.js');
      const pidFile = path.join(dir, 'never-starts.pid');
      fs.writeFileSync(
        main,
        `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`,
      );
      await expect(GatewayProcess.start(gw, { main, startWithinMs: 3_000 })).rejects.toThrow(
        'the gateway process did not start within 3 s',
      );
      const pid = Number(fs.readFileSync(pidFile, 'utf8'));
      expect(alive(pid)).toBe(false);
    } finally {
      await gw.stop();
    }
  });

  /** Runs the fixture spec in a jest of its own; resolves with the child's pid and how jest ended. */
  function runFixture(mode: 'fail' | 'hang') {
    const pidFile = path.join(dir, `${mode}.pid`);
    const config = {
      rootDir: ROOT,
      testMatch: ['<rootDir>/test/fixtures/leaves-a-child.fixture.ts'],
      transform: { '^.+\\.ts$': '@swc/jest' },
      setupFilesAfterEnv: ['<rootDir>/test/helpers/owned-children-teardown.ts'],
    };
    const jest = spawn(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', JSON.stringify(config), '--runInBand'],
      {
        cwd: ROOT,
        env: { ...process.env, FIXTURE: mode, FIXTURE_PID_FILE: pidFile },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let output = '';
    jest.stderr!.on('data', (chunk) => (output += String(chunk)));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      jest.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const childPid = async () => {
      await until(
        () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '',
        `the fixture's child (jest said: ${output})`,
        60_000,
      );
      return Number(fs.readFileSync(pidFile, 'utf8'));
    };
    return { jest, ended, childPid, output: () => output };
  }

  it('failing: after a test that fails without stopping its child, the child is killed and jest ends on its own', async () => {
    const run = runFixture('fail');
    const pid = await run.childPid();
    // Jest reports the failure and exits by itself (no --forceExit): nothing of the child keeps it open.
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([run.ended, new Promise((resolve) => (timer = setTimeout(resolve, 60_000, 'still running')))]);
    clearTimeout(timer);
    if (ended === 'still running') run.jest.kill('SIGKILL');
    expect(ended).toEqual({ code: 1, signal: null });
    expect(run.output()).toMatch(/failed on purpose/);
    expect(alive(pid)).toBe(false);
  });

  it('failing: when jest is killed (SIGKILL) during a test, the child dies with it', async () => {
    const run = runFixture('hang');
    const pid = await run.childPid();
    expect(alive(pid)).toBe(true);
    run.jest.kill('SIGKILL');
    await run.ended;
    // The kernel signals the child when its parent dies (PR_SET_PDEATHSIG, set by setpriv).
    await until(() => !alive(pid), `the child ${pid} to die with jest`, 10_000);
  });
});
