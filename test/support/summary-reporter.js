/**
 * Writes jest's totals to .jest-results.json so .ci/run can print "tests: N passed, M failed".
 * A suite that could not run at all (syntax error, failing import) counts as one failed test.
 */
const fs = require("node:fs");
const path = require("node:path");

class SummaryReporter {
  constructor(globalConfig) {
    this.file = path.join(globalConfig.rootDir, ".jest-results.json");
  }

  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      suites: results.numTotalTestSuites,
    };
    fs.writeFileSync(this.file, JSON.stringify(summary));
  }
}

module.exports = SummaryReporter;
