// `pnpm bench` for the emulator:
// 1. DescribeImageAnimateJob over loopback at concurrency 64 against the emulator in its own
//    process: requests per second and latency percentiles, every request signed (the signature
//    is verified by the emulator on each one).
// 2. The memory the emulator holds for 100,000 finished jobs (heap and RSS, after GC).
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { sign } from "@vclm/signer";
import { DEMO_ACCOUNT } from "../dist/index.js";

const credentials = { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey };
const server = spawn(process.execPath, [new URL("./server.js", import.meta.url).pathname], { stdio: ["ignore", "pipe", "inherit"] });
process.on("exit", () => server.kill());
const url = (await once(server.stdout, "data"))[0].toString().trim();

async function call(action, body) {
  const headers = await sign(
    { host: "127.0.0.1", headers: { "X-TC-Action": action, "X-TC-Version": "2024-05-23", "X-TC-Region": "ap-singapore" }, body },
    { credentials, service: "vclm" },
  );
  const response = await fetch(url, { method: "POST", headers, body });
  return (await response.json()).Response;
}

const { JobId } = await call("SubmitImageAnimateJob", JSON.stringify({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" }));
const body = JSON.stringify({ JobId });
if ((await call("DescribeImageAnimateJob", body)).Status !== "WAIT") throw new Error("the emulator did not describe the job");

async function load(concurrency, ms) {
  const latencies = [];
  const end = performance.now() + ms;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const answer = await call("DescribeImageAnimateJob", body);
        latencies.push(performance.now() - t);
        if (!answer.Status) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  return {
    requests: latencies.length,
    "requests/s": Math.round((latencies.length * 1000) / (performance.now() - start)),
    "p50 (ms)": at(0.5),
    "p99 (ms)": at(0.99),
    "max (ms)": at(1),
  };
}

await load(64, 1000); // warm-up
const rows = [];
for (const concurrency of [1, 64]) rows.push({ concurrency, ...(await load(concurrency, 5000)) });
server.kill();
console.log(
  `\n@vclm/emulator on Node ${process.versions.node}: DescribeImageAnimateJob over loopback, signed and verified, 5 s per row (server and load in separate processes)`,
);
console.table(rows);

// Memory of 100,000 finished jobs, measured in a fresh process with GC exposed.
const memory = execFileSync(process.execPath, ["--expose-gc", new URL("./memory.js", import.meta.url).pathname], { encoding: "utf8" });
console.log(`\nMemory held for finished jobs (fresh process, after GC):`);
console.table(JSON.parse(memory));
process.exit(0);
