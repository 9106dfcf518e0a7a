import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { TestGateway } from './gateway';

const MAIN = path.join(__dirname, '..', '..', 'dist', 'src', 'main.js');

/**
 * A second gateway as a separate OS process (the built dist/src/main.js, as `npm start` runs
 * it) on the same database and PKI as an in-process test gateway.
 */
export class GatewayProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly apiPort: number,
  ) {}

  get apiOrigin(): string {
    return `https://localhost:${this.apiPort}`;
  }

  /** `env` adds to (or overrides) the variables the process is started with. */
  static async start(peer: TestGateway, options: { env?: Record<string, string> } = {}): Promise<GatewayProcess> {
    if (!fs.existsSync(MAIN)) throw new Error('dist/src/main.js is missing: run `npm run build` (npm test does it)');
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        API_PORT: '0',
        ENROLL_PORT: '0',
        CERTS_DIR: peer.config.pki.certsDir,
        DATABASE_URL: peer.databaseUrl,
        LOG_LEVEL: 'info',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const apiPort = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the gateway process did not start within 30 s')), 30_000);
      child.once('exit', (code) => reject(new Error(`the gateway process exited with ${code}`)));
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        if (!line.startsWith('{')) return;
        const entry = JSON.parse(line);
        if (entry.msg === 'gateway started') {
          clearTimeout(timer);
          resolve(entry.apiPort);
        }
      });
    });
    return new GatewayProcess(child, apiPort);
  }

  /** SIGTERM, as a process manager would send it; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill('SIGTERM');
    return exited;
  }

  /** Any signal, e.g. SIGKILL for a crash with work in flight; resolves once the process is gone. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill(signal);
    await exited;
  }
}
