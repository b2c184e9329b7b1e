// Every vitest run also writes a JSON report to .cache/reports/<package>-<script>.json, which
// scripts/summarize-tests.mjs adds up into the closing "N passed, N failed" line.
import { fileURLToPath } from "node:url";

/** @param {string} name the package's short name, e.g. "signer" */
export function reporting(name) {
  const script = (process.env.npm_lifecycle_event ?? "vitest").replace(/[^\w-]/g, "-");
  return {
    reporters: ["default", "json"],
    outputFile: { json: fileURLToPath(new URL(`../../../.cache/reports/${name}-${script}.json`, import.meta.url)) },
  };
}
