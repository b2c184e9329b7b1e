// `pnpm bench` for the runtimes: @vclm/signer's signatures per second inside Node 24, Deno, Bun,
// workerd and Chromium, measured in each runtime by the same probe, with the official sign3 beside
// it where that runtime can load it. Ratios are within a runtime, never across.
import { fileURLToPath } from "node:url";
import { opsPerSecond } from "@vclm/tools/bench";
import { runtimes } from "./src/runners.js";

const probe = (file) => fileURLToPath(new URL(`./probes/${file}`, import.meta.url));
const withOfficial = new Set(["deno", "bun", "node 24"]);
const rows = [];
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
console.log("\n@vclm/signer in other runtimes: signatures per second (median of interleaved rounds, each runtime alone)");
console.table(rows);
