// `pnpm bench` for the runtimes, measured in each runtime by the same probe; ratios are within a
// runtime, never across.
// 1. @vclm/signer's signatures per second inside Node 24, Deno, Bun, workerd and Chromium, with the
//    official sign3 beside it where that runtime can load it.
// 2. The photo path: a Submit with a 10 MB JPEG, wall ms per call in every runtime, this build
//    beside an older one when BEFORE_CORE names its dist (e.g. a worktree of an earlier commit).
// 3. workerd's peak memory (the workerd process's high-water RSS) for a Worker submitting it.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { opsPerSecond } from "@vclm/tools/bench";
import { runtimes } from "./src/runners.js";

const probe = (file) => fileURLToPath(new URL(`./probes/${file}`, import.meta.url));
const withOfficial = new Set(["deno", "bun", "node 24"]);
const rows = [];
// BENCH_ONLY=signer|photo|memory runs one section.
const wants = (section) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY === section;
if (wants("signer"))
  // runtimes[0] is the Node running this script: packages/signer's own bench covers it.
  for (const { name, run } of runtimes.slice(1)) {
    const results = await run(probe(withOfficial.has(name) ? "signer-bench-official.js" : "signer-bench.js"), {});
    for (const [request, byBuild] of Object.entries(results)) {
      for (const [build, ops] of Object.entries(byBuild)) {
        rows.push({
          runtime: name,
          request: request === "describe" ? "Describe (37 B)" : "Submit, 10 MB photo (13.4 MB)",
          signer: { main: "@vclm/signer", web: "@vclm/signer/web", official: "official sign3 (Buffer body)" }[build],
          "signatures/s": opsPerSecond(ops),
          "vs official": byBuild.official ? `${(ops / byBuild.official).toFixed(2)}x` : "n/a (cannot run here)",
        });
      }
    }
  }
if (rows.length) {
  console.log("\n@vclm/signer in other runtimes: signatures per second (median of interleaved rounds, each runtime alone)");
  console.table(rows);
}

const server = spawn(process.execPath, [fileURLToPath(new URL("../../packages/core/bench/server.js", import.meta.url))], {
  stdio: ["ignore", "pipe", "inherit"],
});
process.on("exit", () => server.kill());
const url = (await once(server.stdout, "data"))[0].toString().trim();
const input = { endpoint: url, relayTarget: url, credentials: { secretId: "AKIDbench", secretKey: "bench-secret-key" } };
// Both builds bundled the same way (esbuild, each runtime's conditions), so only the code differs.
const bundled = (dist) => ({ alias: { "@vclm/core": `${dist}/index.js` } });
const current = bundled(fileURLToPath(new URL("../../packages/core/dist", import.meta.url)));
const before = process.env.BEFORE_CORE ? bundled(process.env.BEFORE_CORE) : undefined;
const photoRows = [];
for (const { name, run } of wants("photo") ? runtimes : []) {
  // Interleaved rounds, the best median of each build: a 2-core machine drifts between runs.
  const best = (all) => Object.fromEntries(Object.keys(all[0]).map((form) => [form, Math.min(...all.map((r) => r[form]))]));
  const nows = [];
  const thens = [];
  for (let round = 0; round < 3; round++) {
    nows.push(await run(probe("photo-bench.js"), input, current));
    if (before) thens.push(await run(probe("photo-bench.js"), input, before));
  }
  const now = best(nows);
  const then = before ? best(thens) : {};
  for (const [form, ms] of Object.entries(now)) {
    const old = then[form];
    photoRows.push({
      runtime: name,
      form,
      "ms/call": ms.toFixed(0),
      ...(before && {
        "before ms/call": old === undefined ? "n/a" : old.toFixed(0),
        "vs before": old === undefined ? "" : `${(ms / old).toFixed(2)}x`,
      }),
    });
  }
}
if (photoRows.length)
  console.log(
    "\nSubmit with a 10 MB photo in each runtime: wall ms per call to a loopback server (the best of 3 interleaved rounds, each the median of 11 calls after 2 warm-up calls)",
  );
if (photoRows.length) console.table(photoRows);

// workerd: the peak RSS of the workerd process around one Worker's single Submit, fresh for each
// form: what a 10 MB photo costs the isolate, against the 128 MB a Worker may use.
const { Miniflare } = await import("miniflare");
const { build } = await import("esbuild");
const workerScript = async (alias) =>
  (
    await build({
      stdin: {
        contents: `import probe from ${JSON.stringify(probe("photo-once.js"))};
        export default { async fetch(request) { return Response.json(await probe(await request.json())); } };`,
        resolveDir: fileURLToPath(new URL(".", import.meta.url)),
        loader: "js",
      },
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      alias,
      write: false,
      logLevel: "error",
    })
  ).outputFiles[0].text;
const memoryOf = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
};
const children = () =>
  new Set(readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean));
const memoryRows = [];
const builds = [["this build", current.alias], ...(before ? [["before", before.alias]] : [])];
for (const [build, alias] of wants("memory") ? builds : [])
  for (const form of build === "before" ? ["ImageBase64"] : ["photo (bytes)", "ImageBase64"]) {
    const script = await workerScript(alias);
    const existing = children();
    const mf = new Miniflare({ modules: true, script, compatibilityDate: "2026-07-01", cf: false });
    await mf.ready;
    const pid = [...children()].find((child) => !existing.has(child) && readFileSync(`/proc/${child}/cmdline`, "utf8").includes("workerd"));
    const fresh = memoryOf(pid);
    const answer = await (await mf.dispatchFetch("http://localhost/", { method: "POST", body: JSON.stringify({ ...input, form }) })).json();
    if (answer !== "1194931538865782784") throw new Error(`the Worker did not submit: ${JSON.stringify(answer)}`);
    const after = memoryOf(pid);
    await mf.dispose();
    memoryRows.push({
      build,
      form,
      "workerd RSS fresh MB": (fresh.rss / 1e6).toFixed(1),
      "peak RSS MB": (after.peak / 1e6).toFixed(1),
      "peak over fresh MB": ((after.peak - fresh.rss) / 1e6).toFixed(1),
      "Worker limit MB": 128,
    });
  }
if (memoryRows.length)
  console.log("\nworkerd: one Worker, one Submit with a 10 MB photo (the photo made inside the Worker), the whole workerd process");
if (memoryRows.length) console.table(memoryRows);
process.exit(0);
