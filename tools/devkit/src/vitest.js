// Every vitest run also writes a JSON report to <workspace>/.reports/vitest/<name>-<script>.json,
// which scripts/summarize-tests.mjs adds up into the closing "N passed, N failed" line. The report
// is in the workspace's own folder so that turbo can cache it as the test task's output
// (turbo.json: "outputs": [".reports/**"]): a cache hit restores the report, and the summary still
// counts the tests that turbo did not need to run again.
import { join } from "node:path";

/** @param {string} name the package's short name, e.g. "signer" */
export function reporting(name) {
  const script = (process.env.npm_lifecycle_event ?? "vitest").replace(/[^\w-]/g, "-");
  // pnpm (and so turbo) runs a workspace's scripts in the workspace's folder.
  return {
    reporters: ["default", "json"],
    outputFile: { json: join(process.cwd(), ".reports", "vitest", `${name}-${script}.json`) },
  };
}
