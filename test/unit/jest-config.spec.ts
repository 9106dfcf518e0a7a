import fs from 'node:fs';
import path from 'node:path';
import { globsToMatcher } from 'jest-util';

const ROOT = path.join(__dirname, '..', '..');
const CONFIG = path.join(ROOT, 'jest.config.js');

interface Project {
  displayName: string;
  testMatch: string[];
  testPathIgnorePatterns?: string[];
  globalSetup?: string;
}

/** jest.config.js as jest reads it, with this environment. */
function jestConfig(env: Record<string, string> = {}): { projects: Project[]; reporters?: unknown[] } {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    delete require.cache[CONFIG];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- read afresh with this environment, as jest reads it
    return require(CONFIG);
  } finally {
    process.env = saved;
    delete require.cache[CONFIG];
  }
}

const rooted = (pattern: string) => pattern.replace('<rootDir>', ROOT);

function specFiles(dir = path.join(ROOT, 'test')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return specFiles(file);
    return /\.(spec|e2e-spec|browser-spec)\.ts$/.test(entry.name) ? [file] : [];
  });
}

/** The projects whose testMatch (less testPathIgnorePatterns) takes the file. */
function projectsOf(config: { projects: Project[] }, file: string): string[] {
  return config.projects
    .filter((project) => globsToMatcher(project.testMatch.map(rooted))(file))
    .filter((project) => !(project.testPathIgnorePatterns ?? []).some((pattern) => new RegExp(rooted(pattern)).test(file)))
    .map((project) => project.displayName);
}

describe('the jest projects', () => {
  it('successful: every test file is in exactly one of unit, e2e, cluster and browser', () => {
    const config = jestConfig();
    expect(config.projects.map((project) => project.displayName)).toEqual(['unit', 'e2e', 'cluster', 'browser']);
    const files = specFiles();
    expect(files.length).toBeGreaterThan(50);
    const misplaced = files
      .map((file) => [path.relative(ROOT, file), projectsOf(config, file)])
      .filter(([, projects]) => projects.length !== 1);
    expect(misplaced).toEqual([]);
  });

  it('successful: the cluster project holds the specs that start a gateway process, Galera or a load balancer, and only those', () => {
    const config = jestConfig();
    const project = (spec: string) => projectsOf(config, path.join(ROOT, spec))[0];
    for (const spec of ['emergency-stop', 'transfer-concurrency', 'galera', 'load-balancers', 'lockout'])
      expect([spec, project(`test/e2e/${spec}.e2e-spec.ts`)]).toEqual([spec, 'cluster']);
    for (const spec of ['login', 'transfers', 'lifecycle', 'permission-matrix'])
      expect([spec, project(`test/e2e/${spec}.e2e-spec.ts`)]).toEqual([spec, 'e2e']);
    expect(project('test/unit/proxy-protocol.spec.ts')).toBe('unit');
  });

  it('failing: without Chromium the browser tests are not skipped; the browser project fails at once with the command that installs it', async () => {
    const config = jestConfig({ CHROMIUM_PATH: '/nonexistent/chromium' });
    const browserSpec = path.join(ROOT, 'test', 'browser', 'web-app.browser-spec.ts');
    expect(projectsOf(config, browserSpec)).toEqual(['browser']);
    const browser = config.projects.find((project) => project.displayName === 'browser')!;
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the global setup jest runs, a CommonJS file
      const requireBrowser = require(rooted(browser.globalSetup!));
      await expect(requireBrowser()).rejects.toThrow(
        /\/nonexistent\/chromium[\s\S]*scripts\/test-machine\.sh[\s\S]*apt-get install .*chromium/,
      );
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });

  it('successful: the run ends with each file’s duration, longest first (test/reporters/durations.cjs)', () => {
    const config = jestConfig();
    expect(config.reporters).toEqual(['default', '<rootDir>/test/reporters/durations.cjs']);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the reporter jest loads, a CommonJS file
    const Reporter = require(path.join(ROOT, 'test', 'reporters', 'durations.cjs'));
    const file = (name: string, project: string, seconds: number, failing = 0) => ({
      testFilePath: path.join(ROOT, 'test', name),
      displayName: { name: project },
      perfStats: { start: 1_000, end: 1_000 + seconds * 1000 },
      numFailingTests: failing,
    });
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      new Reporter({ rootDir: ROOT }).onRunComplete(new Set(), {
        testResults: [
          file('unit/a.spec.ts', 'unit', 0.4),
          file('e2e/b.e2e-spec.ts', 'e2e', 12.2, 1),
          file('e2e/c.e2e-spec.ts', 'cluster', 80),
        ],
      });
    } finally {
      write.mockRestore();
    }
    expect(written.join('').trim().split('\n')).toEqual([
      'Test files by duration (3 files, 92.6 s in all):',
      '   80.0 s  cluster  test/e2e/c.e2e-spec.ts',
      '   12.2 s  e2e      test/e2e/b.e2e-spec.ts  (failed)',
      '    0.4 s  unit     test/unit/a.spec.ts',
    ]);
  });
});
