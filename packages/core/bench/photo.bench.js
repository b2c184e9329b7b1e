// The photo path: one SubmitImageAnimateJob with a 10 MB JPEG, from its bytes in memory to the
// answer, against a loopback server in its own process. Each contender runs alone in a fresh
// process (bench/photo-one.js), on Node 20 (this one) and Node 24: CPU per call (the median of 5,
// after 2 warm-up calls) and the call's peak RSS over the RSS it started at (one call, fresh
// process). Contenders take turns, three rounds. BEFORE_CORE=<dist of an older build> adds it.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);
const server = spawn(process.execPath, [new URL("./server.js", import.meta.url).pathname], { stdio: ["ignore", "pipe", "inherit"] });
process.on("exit", () => server.kill());
const url = (await once(server.stdout, "data"))[0].toString().trim();

const node24 = new URL("../../../tests/runtimes/.cache/node24/node_modules/.bin/node", import.meta.url).pathname;
const nodes = [["node 20", process.execPath], ...(existsSync(node24) ? [["node 24", node24]] : [])];
const contenders = {
  "@vclm/core, photo (bytes)": "core-photo",
  "@vclm/core, photoToBase64 + ImageBase64": "core",
  ...(process.env.BEFORE_CORE && { "@vclm/core before (photoToBase64 + ImageBase64)": "before" }),
  "official SDK (Buffer base64)": "official",
  "limit: Buffer base64, body, SHA-256, one write": "limit",
};
const one = async (node, id, mode) =>
  JSON.parse(
    (await run(node, ["--expose-gc", new URL("./photo-one.js", import.meta.url).pathname, id, url, mode], { env: process.env })).stdout,
  );
const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];

const rows = [];
for (const [runtime, node] of nodes) {
  const cpu = Object.fromEntries(Object.values(contenders).map((id) => [id, []]));
  const memory = Object.fromEntries(Object.values(contenders).map((id) => [id, []]));
  for (let round = 0; round < 3; round++) {
    for (const id of Object.values(contenders)) {
      cpu[id].push(...(await one(node, id, "cpu")).cpu);
      memory[id].push((await one(node, id, "memory")).peakExtra);
    }
  }
  const ms = Object.fromEntries(Object.entries(cpu).map(([id, values]) => [id, median(values)]));
  for (const [name, id] of Object.entries(contenders)) {
    rows.push({
      runtime,
      contender: name,
      "CPU ms": ms[id].toFixed(0),
      "peak extra MB": (median(memory[id]) / 1e6).toFixed(1),
      "vs official": `${(ms[id] / ms.official).toFixed(2)}x`,
      "vs limit": `${(ms[id] / ms.limit).toFixed(2)}x`,
    });
  }
}
console.log(
  "\nSubmit with a 10 MB photo, bytes in memory to answer, loopback (CPU: median of 15 calls; memory: median of 3 fresh processes)",
);
console.table(rows);
process.exit(0);
