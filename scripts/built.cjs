// Runs a compiled script of dist/scripts, compiling the server's TypeScript first only when dist
// is missing or a source file is newer than the last build: `npm run cert` does not rebuild on
// every run.
//   node scripts/built.cjs <script> [args...]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const [name, ...args] = process.argv.slice(2);
const target = path.join(root, 'dist', 'scripts', `${name}.js`);
// Written by every build that changed anything (tsconfig.build.json: incremental).
const buildInfo = path.join(root, 'dist', '.tsbuildinfo');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

const stale =
  !fs.existsSync(target) ||
  !fs.existsSync(buildInfo) ||
  Math.max(newestSource(path.join(root, 'src')), newestSource(path.join(root, 'scripts'))) > fs.statSync(buildInfo).mtimeMs;
if (stale) {
  process.stderr.write('Compiling the TypeScript first (dist is missing or older than the sources)...\n');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  // An incremental build with nothing to emit leaves the build info as it was: mark it current.
  const now = new Date();
  fs.utimesSync(buildInfo, now, now);
}
const run = spawnSync(process.execPath, [target, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
