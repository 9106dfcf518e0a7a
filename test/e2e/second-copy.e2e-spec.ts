import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestGateway } from '../helpers/gateway';

const MAIN = path.join(__dirname, '..', '..', 'dist', 'src', 'main.js');

/**
 * What the gateway itself wrote: on Node 20, oidc-provider 9 (the partners' authorization server)
 * prints one line of its own as it loads (README, docs/partners.md); on 22 and 24 it prints none.
 */
const RUNTIME_WARNING = 'oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS, or a later LTS release.';
function ownLines(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return (Number(process.versions.node.split('.')[0]) < 22 ? lines.filter((line) => line !== RUNTIME_WARNING) : lines).join('\n');
}

/** Runs the built gateway (as `npm start` does) until it exits; resolves with its exit code and what it wrote to stderr. */
function runGateway(env: Record<string, string>): { exited: Promise<{ code: number | null; stderr: string }>; kill: () => void } {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does it)`);
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    exited: new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr }))),
    kill: () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'),
  };
}

describe('a second copy of the gateway on one machine', () => {
  let gw: TestGateway;
  const children: Array<() => void> = [];

  beforeAll(async () => {
    gw = await TestGateway.start();
  });

  afterAll(async () => {
    for (const kill of children) kill();
    await gw?.stop();
  });

  it.each(['API_PORT', 'METRICS_PORT'] as const)(
    'a copy whose %s is taken by the first stops at once with one line naming the setting and the ports to give it',
    async (setting) => {
      const taken = setting === 'API_PORT' ? gw.gateway.apiPort : gw.gateway.metricsPort!;
      const copy = runGateway({
        NODE_ENV: 'test',
        API_PORT: '0',
        ENROLL_PORT: '0',
        METRICS_PORT: '0',
        CERTS_DIR: gw.config.pki.certsDir,
        DATABASE_URL: gw.databaseUrl,
        [setting]: String(taken),
      });
      children.push(copy.kill);
      const { code, stderr } = await copy.exited;
      expect(code).toBe(1);
      expect(ownLines(stderr)).toBe(
        `The gateway could not start: ${setting} ${taken} is already in use (another copy of the gateway?): ` +
          'give each copy its own ports, e.g. API_PORT=9443 ENROLL_PORT=9444 METRICS_PORT=9465',
      );
    },
  );
});
