// Adds up the vitest JSON reports of every package (written to .cache/reports/) into one closing
// line, "N passed, N failed", and fails if any test failed or none ran.
import { readdirSync, readFileSync } from "node:fs";

const dir = new URL("../.cache/reports/", import.meta.url);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(dir).filter((name) => name.endsWith(".json"))) {
  const report = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
  if (!Number.isInteger(report.numTotalTests)) {
    console.error(`${file} is not a vitest JSON report: nothing else belongs in .cache/reports/`);
    process.exit(1);
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`${file.replace(/\.json$/, "")}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
console.log(`\nall tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
