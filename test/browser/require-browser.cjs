'use strict';
// The browser project's global setup: the browser tests run Debian's Chromium with the person's
// certificate in an NSS store (certutil, pk12util). When they are missing the project fails here,
// before any test, with the command that installs them: a browser test is never skipped quietly.
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const PACKAGES = 'chromium libnss3-tools fonts-noto-cjk';

function missing() {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const absent = [];
  if (!fs.existsSync(chromium)) absent.push(chromium);
  for (const tool of ['certutil', 'pk12util']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      absent.push(tool);
    }
  }
  return absent;
}

module.exports = async function requireBrowser() {
  const absent = missing();
  if (absent.length === 0) return;
  throw new Error(
    `The browser tests need ${absent.join(', ')}. Install them once, as root:\n` +
      `  scripts/test-machine.sh   (npm test runs it first; it installs every package the tests need)\n` +
      `or only these: apt-get update && apt-get install -y --no-install-recommends ${PACKAGES}`,
  );
};
module.exports.PACKAGES = PACKAGES;
