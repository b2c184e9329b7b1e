// Adds up the vitest JSON reports of every workspace (each written to <workspace>/.reports/vitest/, the
// test task's declared output, so a cached task's report is restored too), and of the repo's own
// checks in .reports/vitest/ (scripts/check-publish.mjs writes one in that shape), into one closing line,
// "N passed, N failed", and fails if any test failed, a run failed outside its tests (an unhandled
// error, a file that did not load) or none ran. Each failure is printed here, at the end of the
// log, with its message: CI keeps only the tail.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of reportFiles()) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  const name = file.replace(/^.*\/|\.json$/g, "");
  if (!Number.isInteger(report.numTotalTests)) {
    console.error(`${file} is not a vitest JSON report: nothing else belongs in a workspace's .reports/vitest/`);
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

/** The .json files in the repo's and each workspace's .reports/vitest/ (workspaces as pnpm-workspace.yaml lists them: folder/*). */
function reportFiles() {
  const workspaceYaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const groups = [...workspaceYaml.matchAll(/^\s*-\s*["']?([\w-]+)\/\*["']?\s*$/gm)].map(([, group]) => group);
  const folders = [root, ...groups.flatMap((group) => readdirSync(join(root, group)).map((workspace) => join(root, group, workspace)))];
  const files = [];
  for (const folder of folders) {
    const reports = join(folder, ".reports", "vitest");
    if (!existsSync(reports)) continue;
    for (const file of readdirSync(reports).filter((name) => name.endsWith(".json"))) files.push(join(reports, file));
  }
  return files;
}

function clip(text) {
  const lines = text.split("\n");
  return lines.length > 25 ? [...lines.slice(0, 25), `  ... ${lines.length - 25} more lines`].join("\n") : text;
}
