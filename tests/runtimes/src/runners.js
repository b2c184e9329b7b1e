// One runner per runtime. A probe is an ES module whose default export maps a JSON input to a
// JSON output; each runner loads it the way that runtime's users load code:
// - Node, Deno and Bun import it unbundled, so @vclm/* resolve through their package.json exports;
// - workerd and Chromium get an esbuild bundle, as wrangler and browser bundlers would make.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { chromiumLaunchOptions } from "@vclm/tools/chromium";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { chromium } from "playwright-core";

const here = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const host = join(here, "src/host.js");

/**
 * Runs host.js under a runtime binary (Node, Deno, Bun): the probe's output is the last line it
 * prints. With `alias` (package name -> path), the probe is bundled first with those packages
 * swapped, e.g. an older build of @vclm/core for a before/after bench.
 */
async function runCli(command, args, probe, input, { alias } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "vclm-probe-"));
  try {
    const inputPath = join(dir, "input.json");
    await writeFile(inputPath, JSON.stringify(input));
    let file = probe;
    if (alias) {
      file = join(dir, "probe.mjs");
      await writeFile(file, await bundle(`export { default } from ${JSON.stringify(probe)};`, ["node"], alias, "node"));
    }
    const { stdout } = await run(command, [...args, host, pathToFileURL(file).href, inputPath], {
      cwd: here,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    });
    return JSON.parse(stdout.trim().split("\n").at(-1));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Bundles a probe behind a small entry module, as a bundler would for that platform. */
export async function bundle(entry, conditions, alias, platform = "neutral") {
  const result = await build({
    stdin: { contents: entry, resolveDir: here, loader: "js" },
    bundle: true,
    format: "esm",
    platform,
    ...(alias && { alias }),
    mainFields: ["module", "main"],
    conditions,
    write: false,
    logLevel: "error",
  });
  return result.outputFiles[0].text;
}

async function runWorkerd(probe, input, { alias } = {}) {
  const script = await bundle(
    `import probe from ${JSON.stringify(probe)};
     export default { async fetch(request) { return Response.json(await probe(await request.json())); } };`,
    ["workerd", "worker", "browser"],
    alias,
  );
  // No nodejs_compat flag: the code must stand on web APIs alone, as in a default Worker.
  const mf = new Miniflare({ modules: true, script, compatibilityDate: "2026-07-01", cf: false });
  try {
    const response = await mf.dispatchFetch("http://localhost/", { method: "POST", body: JSON.stringify(input) });
    if (!response.ok) throw new Error(`worker answered ${response.status}: ${await response.text()}`);
    return await response.json();
  } finally {
    await mf.dispose();
  }
}

async function runChromium(probe, input, { alias } = {}) {
  const script = await bundle(`export { default } from ${JSON.stringify(probe)};`, ["browser"], alias);
  // 127.0.0.1 is a secure context, so crypto.subtle is there as on any HTTPS page. The API sends
  // no CORS headers, so a page reaches it through a same-origin relay: POST /relay forwards the
  // signed request unchanged to input.relayTarget.
  const server = createServer(async (request, response) => {
    if (request.url === "/relay" && input?.relayTarget) return relay(request, response, input.relayTarget);
    const js = request.url === "/probe.js";
    response.writeHead(200, { "content-type": js ? "text/javascript" : "text/html" });
    response.end(js ? script : "<!doctype html><title>probe</title>");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    // A string, not a function: test runners rewrite import() inside functions they load.
    return await page.evaluate(`import("/probe.js").then((probe) => probe.default(${JSON.stringify(input)}))`);
  } finally {
    await browser.close();
    server.close();
  }
}

/** Forwards a request's method, body and headers (less the hop-by-hop ones) to target; relays the answer. */
async function relay(request, response, target) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const skip = new Set(["host", "connection", "content-length", "origin", "referer", "cookie"]);
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !skip.has(name) && !name.startsWith("sec-")));
  const answer = await fetch(target, { method: request.method, headers, body: Buffer.concat(chunks) });
  response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
  response.end(Buffer.from(await answer.arrayBuffer()));
}

const deno = join(here, "node_modules/.bin/deno");
const bun = join(here, "node_modules/.bin/bun");
const node24 = join(here, ".cache/node24/node_modules/.bin/node");

/** @type {{ name: string, run: (probe: string, input: unknown, options?: { alias?: Record<string, string> }) => Promise<any> }[]} */
export const runtimes = [
  {
    name: `node ${process.versions.node.split(".")[0]}`,
    run: (probe, input, options) => runCli(process.execPath, [], probe, input, options),
  },
  { name: "node 24", run: (probe, input, options) => runCli(node24, [], probe, input, options) },
  {
    name: "deno",
    run: (probe, input, options) =>
      runCli(
        deno,
        ["run", "--no-lock", "--allow-read", `--allow-write=${tmpdir()}`, "--allow-env", "--allow-net=127.0.0.1"],
        probe,
        input,
        options,
      ),
  },
  { name: "bun", run: (probe, input, options) => runCli(bun, ["run"], probe, input, options) },
  { name: "workerd", run: runWorkerd },
  { name: "chromium", run: runChromium },
].filter((runtime, i, all) => all.findIndex((r) => r.name === runtime.name) === i);
