'use strict';
// A jest reporter that prints, after the run, how long each test file took, longest first, with
// its project: `npm test` and CI use it (jest.config.js), so a slow file is seen, not guessed at.
const path = require('node:path');

class DurationsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((file) => ({
        ms: file.perfStats.start ? file.perfStats.end - file.perfStats.start : 0,
        project: file.displayName ? file.displayName.name : '',
        file: path.relative(this.rootDir, file.testFilePath),
        failed: file.numFailingTests > 0 || Boolean(file.testExecError),
      }))
      .sort((a, b) => b.ms - a.ms);
    if (files.length === 0) return;
    const width = Math.max(...files.map((f) => f.project.length));
    const lines = files.map(
      (f) => `${(f.ms / 1000).toFixed(1).padStart(7)} s  ${f.project.padEnd(width)}  ${f.file}${f.failed ? '  (failed)' : ''}`,
    );
    const total = files.reduce((sum, f) => sum + f.ms, 0);
    process.stdout.write(`\nTest files by duration (${files.length} files, ${(total / 1000).toFixed(1)} s in all):\n${lines.join('\n')}\n`);
  }
}

module.exports = DurationsReporter;
