/** @type {import('jest').Config} */
const fs = require('node:fs');
const path = require('node:path');

const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

/**
 * The OAuth packages (oidc-provider, openid-client and their jose/oauth4webapi) are ES modules
 * only. Node loads them from our CommonJS build by itself (require(esm), Node 20.19+/22.12+), but
 * jest's own module loader does that only from Node 24.9, so under jest swc compiles them to
 * CommonJS like our sources (docs/partners.md).
 */
const ESM_ONLY = ['oidc-provider', 'openid-client', 'oauth4webapi', 'jose'];
const esmOnly = { ...swc, jsc: { target: 'es2022' } };

/**
 * Time budgets per test, by project, meant to let a machine several times slower (or this one with
 * its cores busy) pass. A test that needs more says so itself.
 */
const SECONDS = 1000;
const BUDGETS = { unit: 30 * SECONDS, e2e: 60 * SECONDS, cluster: 150 * SECONDS, browser: 300 * SECONDS };

/**
 * The cluster project: end-to-end specs that start more than the in-process gateway — a gateway
 * as its own OS process (and so several gateways on one database), a Galera cluster or a load
 * balancer. Decided by what a spec starts, so a new spec lands in the right project by itself.
 */
const STARTS_MORE = /\b(GatewayProcess\.start|GaleraCluster\.start|startHaproxy|startNginx)\(/;
const e2eDir = path.join(__dirname, 'test', 'e2e');
const e2eSpecs = fs.readdirSync(e2eDir).filter((file) => file.endsWith('.e2e-spec.ts'));
const startsMore = (file) => STARTS_MORE.test(fs.readFileSync(path.join(e2eDir, file), 'utf8'));
const inE2e = (files) => files.map((file) => `<rootDir>/test/e2e/${file}`);

/** What every project shares; `budget` is its time per test (test/helpers/time-budget.ts applies it). */
const project = (name, budget, setupFilesAfterEnv = []) => ({
  displayName: name,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swc], [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: ['@swc/jest', esmOnly] },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  setupFiles: ['reflect-metadata'],
  globals: { TEST_BUDGET_MS: budget },
  setupFilesAfterEnv: ['<rootDir>/test/helpers/time-budget.ts', ...setupFilesAfterEnv],
});
/** Projects that start processes kill whatever a test file left running when the file ends. */
const OWNED_CHILDREN = ['<rootDir>/test/helpers/owned-children-teardown.ts'];

module.exports = {
  projects: [
    { ...project('unit', BUDGETS.unit), testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    { ...project('e2e', BUDGETS.e2e, OWNED_CHILDREN), testMatch: inE2e(e2eSpecs.filter((file) => !startsMore(file))) },
    { ...project('cluster', BUDGETS.cluster, OWNED_CHILDREN), testMatch: inE2e(e2eSpecs.filter(startsMore)) },
    {
      ...project('browser', BUDGETS.browser, OWNED_CHILDREN),
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      // Chromium and the NSS tools must be there: no browser, a failure in the first second that
      // names the command installing them (scripts/test-machine.sh), never a silently skipped test.
      globalSetup: '<rootDir>/test/browser/require-browser.cjs',
    },
  ],
  // Each file's duration, longest first, after the usual report: what to look at when the suite is slow.
  reporters: ['default', '<rootDir>/test/reporters/durations.cjs'],
  // Two cores: one worker per core; e2e specs start real TLS listeners and databases.
  maxWorkers: 2,
};
