// `pnpm bench` for @vclm/otel: the CPU a DescribeImageAnimateJob call costs the client's process,
// with the emulator answering over loopback from its own process (every request signed, verified,
// answered and parsed), for the same client plain, with observe({}) (the hook, nothing to report
// to), and with observe(otel()): on the API's no-op tracer and meter (no SDK given), and on the
// real SDK. Each contender runs in a process of its own (bench/client.js), set up as an app that
// runs OpenTelemetry, so no contender pays for another's garbage or JIT; the processes take turns,
// in rotating order, ROUNDS times. A contender's figure is the median of its rounds; its extra CPU
// the median of its rounds' ratios to the plain client's in the same round, with the middle half
// of those ratios for the spread. User CPU is the client's own work; system CPU (sending and
// receiving on the socket) is the same work for all and the noisiest part on a shared machine.
// The target: at most 10% more CPU per call with the SDK on. `--quick` runs fewer rounds; the full
// run writes bench/results.json.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { promisify } from "node:util";
import { SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 3 : 9;
const CALLS = quick ? 1_000 : 3_000;
const CONTENDERS = ["plain", "observe({})", "observe(otel()), no SDK registered", "observe(otel()), the SDK"];
const SDK = CONTENDERS[3];

const server = spawn(process.execPath, [new URL("./emulator.js", import.meta.url).pathname], { stdio: ["ignore", "pipe", "inherit"] });
process.on("exit", () => server.kill());
const [line] = await once(server.stdout, "data");
const url = line.toString().trim();
const { JobId } = await new VclmClient({ region: "ap-singapore", endpoint: url, credentials: DEMO_ACCOUNT }).send(SubmitImageAnimateJob, {
  TemplateId: "ke3",
  ImageUrl: "https://example.com/dancer.jpg",
});

const client = new URL("./client.js", import.meta.url).pathname;
/** One contender's CPU per call, in µs ({ user, system }), from a process of its own. */
const run = async (contender) =>
  JSON.parse((await promisify(execFile)(process.execPath, [client, contender, url, JobId, String(CALLS)])).stdout);

const loadAtStart = loadavg();
const samples = Object.fromEntries(CONTENDERS.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++)
  for (let i = 0; i < CONTENDERS.length; i++) {
    const name = CONTENDERS[(round + i) % CONTENDERS.length];
    samples[name].push(await run(name));
  }

const sorted = (values) => [...values].sort((a, b) => a - b);
const median = (values) => sorted(values)[values.length >> 1];
const quartiles = (values) => [sorted(values)[values.length >> 2], sorted(values)[(values.length * 3) >> 2]];
const percent = (ratio) => `${ratio >= 0 ? "+" : ""}${(ratio * 100).toFixed(1)}%`;
const total = ({ user, system }) => user + system;
/** Round by round, how much more CPU (`of` picks which) than the plain client's. */
const extra = (name, of) => samples[name].map((sample, round) => of(sample) / of(samples.plain[round]) - 1);
const rows = CONTENDERS.map((name) => ({
  client: name,
  "user CPU per call (µs)": Math.round(median(samples[name].map(({ user }) => user))),
  "user vs plain":
    name === "plain"
      ? ""
      : `${percent(median(extra(name, ({ user }) => user)))} (${quartiles(extra(name, ({ user }) => user))
          .map(percent)
          .join(" to ")})`,
  "user + system (µs)": Math.round(median(samples[name].map(total))),
  "user + system vs plain":
    name === "plain" ? "" : `${percent(median(extra(name, total)))} (${quartiles(extra(name, total)).map(percent).join(" to ")})`,
}));
console.log(
  `\n@vclm/otel on Node ${process.versions.node}: client CPU per DescribeImageAnimateJob over loopback (median of ${ROUNDS} rounds of ${CALLS} calls; in brackets, the middle half of the rounds)`,
);
console.table(rows);
const overhead = { user: median(extra(SDK, ({ user }) => user)), total: median(extra(SDK, total)) };
console.log(
  `with the SDK on: ${percent(overhead.user)} user CPU, ${percent(overhead.total)} user + system CPU per call (target: at most +10%)`,
);

if (!quick)
  await writeFile(
    new URL("./results.json", import.meta.url),
    `${JSON.stringify(
      {
        node: process.versions.node,
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        loadAverage: `${loadAtStart.map((value) => value.toFixed(2)).join(", ")} at the start, ${loadavg()
          .map((value) => value.toFixed(2))
          .join(", ")} at the end`,
        rounds: ROUNDS,
        callsPerRound: CALLS,
        rows,
        withTheSdk: { userCpu: percent(overhead.user), userAndSystemCpu: percent(overhead.total) },
      },
      null,
      2,
    )}\n`,
  );
process.exit(0);
