// Runs each compiled sample in the folder given, in its own Node process, with docs/sample-harness.mjs
// preloaded: an in-process emulator behind every *.tencentcloudapi.com host. Stops at the first failure.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const harness = new URL("./sample-harness.mjs", import.meta.url).href;
for (const file of readdirSync(dir)
  .filter((name) => name.endsWith(".js"))
  .sort()) {
  try {
    execFileSync(process.execPath, ["--import", harness, join(dir, file)], { stdio: ["ignore", "ignore", "inherit"], timeout: 60_000 });
  } catch {
    console.error(`${file} failed: its first line names the doc it comes from`);
    process.exit(1);
  }
}
