/** @type {import('jest').Config} */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

// The browser tests need Debian's Chromium and NSS tools (.ci/run installs them). Without them
// only those tests are left out, and one line says why.
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
function browserTestsUnavailable() {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) return `${chromium} not found`;
  try {
    execFileSync('sh', ['-c', 'command -v certutil && command -v pk12util'], { stdio: 'ignore' });
  } catch {
    return 'certutil/pk12util (libnss3-tools) not found';
  }
  return null;
}
const noBrowser = browserTestsUnavailable();
if (noBrowser) {
  process.stdout.write(`Skipping the browser tests (test/browser): ${noBrowser}; apt-get install chromium libnss3-tools fonts-noto-cjk\n`);
}

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.browser-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(noBrowser ? ['<rootDir>/test/browser/'] : [])],
  setupFiles: ['reflect-metadata'],
  // Two cores: one worker per core; e2e specs start real TLS listeners and databases.
  maxWorkers: 2,
  testTimeout: 60_000,
};
