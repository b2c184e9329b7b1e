// Runs the real wrangler for tests. It needs Node 22 or newer: the Node 24 that
// tests/runtimes/setup.sh installs runs it. Nothing leaves this machine: no metrics, no
// Request.cf download, no update check (its cache is seeded in a private temporary folder).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const app = new URL("..", import.meta.url).pathname;
const node24 = new URL("../../../tests/runtimes/.cache/node24/node_modules/.bin/node", import.meta.url).pathname;
const bin = join(app, "node_modules/wrangler/bin/wrangler.js");
const temp = mkdtempSync(join(tmpdir(), "vclm-wrangler-home-"));
// update-check's cache, fresh: wrangler does not ask the npm registry for a newer version.
mkdirSync(join(temp, "update-check"));
const { version } = JSON.parse(readFileSync(join(app, "node_modules/wrangler/package.json"), "utf8")) as { version: string };
writeFileSync(join(temp, "update-check", "wrangler-latest.json"), JSON.stringify({ latest: version, lastUpdate: Date.now() }));

/** Starts `wrangler <args>` in apps/worker, in its own process group (wrangler dev starts workerd, which goes with it). */
export function wrangler(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  if (!existsSync(node24)) throw new Error("wrangler needs Node 22 or newer: run `bash tests/runtimes/setup.sh` to install Node 24");
  const child = spawn(node24, [bin, ...args], {
    cwd: app,
    detached: true,
    env: {
      ...process.env,
      TMPDIR: temp,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_LOG_PATH: join(temp, "logs"),
      NO_COLOR: "1",
      CI: "true",
    },
  });
  let text = "";
  child.stdout?.on("data", (chunk) => (text += chunk));
  child.stderr?.on("data", (chunk) => (text += chunk));
  return { child, output: () => text, exited: new Promise((resolve) => child.once("exit", resolve)) };
}

/** The Worker as wrangler bundles it for deployment (`wrangler deploy --dry-run`): the module's text. */
export async function bundleWithWrangler(outdir: string): Promise<string> {
  const run = wrangler(["deploy", "--dry-run", "--outdir", outdir]);
  if ((await run.exited) !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.output()}`);
  return readFileSync(join(outdir, "worker.js"), "utf8");
}
