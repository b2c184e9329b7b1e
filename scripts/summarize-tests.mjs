// Adds up the vitest JSON reports of every package (written to .cache/reports/) into one closing
// line, "N passed, N failed", and fails if any test failed, a run failed outside its tests (an
// unhandled error, a file that did not load) or none ran. Each failure is printed here, at the end
// of the log, with its message: CI keeps only the tail.
import { readdirSync, readFileSync } from "node:fs";

const dir = new URL("../.cache/reports/", import.meta.url);
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of readdirSync(dir).filter((name) => name.endsWith(".json"))) {
  const report = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
  const name = file.replace(/\.json$/, "");
  if (!Number.isInteger(report.numTotalTests)) {
    console.error(`${file} is not a vitest JSON report: nothing else belongs in .cache/reports/`);
    process.exit(1);
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  for (const suite of report.testResults) {
    if (suite.status === "failed" && suite.message) failures.push(`${name} ${suite.name}:\n${clip(suite.message)}`);
    for (const test of suite.assertionResults) {
      if (test.status === "failed") failures.push(`${name} > ${test.fullName}:\n${clip(test.failureMessages.join("\n"))}`);
    }
  }
  if (!report.success && report.numFailedTests === 0) failures.push(`${name}: the run failed outside its tests (an unhandled error?)`);
}
for (const failure of failures) console.log(`\nFAILED ${failure}`);
console.log(`\nall tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failures.length > 0 || passed === 0) process.exit(1);

function clip(text) {
  const lines = text.split("\n");
  return lines.length > 25 ? [...lines.slice(0, 25), `  ... ${lines.length - 25} more lines`].join("\n") : text;
}
