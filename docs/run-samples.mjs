// Runs each compiled sample in the folder given, in its own Node process, with docs/sample-harness.mjs
// preloaded (an in-process emulator behind every *.tencentcloudapi.com host), as `node sample.js
// <JobId>` in a fresh folder that holds dancer.jpg (a copy of samples/dancer.jpg). Stops at the
// first failure.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const dir = resolve(process.argv[2]);
const harness = new URL("./sample-harness.mjs", import.meta.url).href;
const dancer = new URL("../samples/dancer.jpg", import.meta.url);
for (const file of readdirSync(dir)
  .filter((name) => name.endsWith(".js"))
  .sort()) {
  const cwd = mkdtempSync(join(tmpdir(), "vclm-sample-"));
  copyFileSync(dancer, join(cwd, "dancer.jpg"));
  try {
    execFileSync(process.execPath, ["--import", harness, join(dir, file)], {
      cwd,
      stdio: ["ignore", "ignore", "inherit"],
      timeout: 60_000,
    });
  } catch {
    console.error(`${file} failed: its first line names the doc it comes from`);
    process.exit(1);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
