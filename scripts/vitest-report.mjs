// A check script's results as a vitest JSON report in the repo's .reports/vitest/: the shape
// scripts/summarize-tests.mjs adds up, so each check counts in the test command's closing line.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Writes .reports/vitest/<name>.json for the checks of `script` (its file URL).
 * @param {string} name
 * @param {string} script
 * @param {{ name: string, status: "passed" | "failed" | "skipped", duration: number, message?: string }[]} checks
 */
export async function writeReport(name, script, checks) {
  const count = (status) => checks.filter((each) => each.status === status).length;
  const report = {
    numTotalTests: checks.length,
    numPassedTests: count("passed"),
    numFailedTests: count("failed"),
    numPendingTests: count("skipped"),
    numTodoTests: 0,
    success: count("failed") === 0,
    testResults: [
      {
        name: fileURLToPath(script),
        status: count("failed") ? "failed" : "passed",
        message: "",
        assertionResults: checks.map((check) => ({
          fullName: check.name, // summarize-tests.mjs names the report (the file) before it
          title: check.name,
          status: check.status === "skipped" ? "pending" : check.status,
          duration: check.duration,
          failureMessages: check.message ? [check.message] : [],
        })),
      },
    ],
  };
  const file = join(root, `.reports/vitest/${name}.json`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}
