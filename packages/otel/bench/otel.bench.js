// `pnpm bench` for @vclm/otel: the CPU a DescribeImageAnimateJob call costs the client's process
// (process.cpuUsage around turns of calls in a row), for the same client plain, with observe({})
// (the hook, nothing to report to), and with observe(otel()): once with no OpenTelemetry SDK
// registered (the API's no-op tracer and meter), once on the real SDK as an app runs it
// (TracerProvider + BatchSpanProcessor, MeterProvider + a periodic reader, AsyncLocalStorage
// context, W3C propagator; exporters that drop what they get, so only vclm's and the SDK's work
// counts). Twice: over loopback to the emulator in its own process (a call as it is: the target, at
// most 10% more CPU with the SDK on, is for this one), and with a fetch that answers at once with
// the emulator's answer (the client's own work alone: what each layer adds, in µs, with far less
// noise from the machine's other work).
//
// Contenders take turns of calls (about 30 ms of CPU), 8 turns each a round, in rotating order (the machine's other
// work comes and goes; turns of a few tens of milliseconds share it evenly). A contender's figure
// is the median of its rounds; its extra CPU the median of its rounds' ratios to the plain
// client's in the same round, with the middle half of those ratios for the spread. `--quick` runs
// fewer rounds; the full run writes bench/results.json.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { context, propagation } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { DescribeImageAnimateJob, observe, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { otel } from "../dist/index.js";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 8 : 60;
const TURNS = 8;
const SDK = "observe(otel()), the SDK";

const server = spawn(process.execPath, [new URL("./emulator.js", import.meta.url).pathname], { stdio: ["ignore", "pipe", "inherit"] });
process.on("exit", () => server.kill());
const [line] = await once(server.stdout, "data");
const url = line.toString().trim();

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
let spansExported = 0;
const dropSpans = {
  export: (spans, done) => {
    spansExported += spans.length;
    done({ code: 0 });
  },
  shutdown: async () => {},
  forceFlush: async () => {},
};
let metricExports = 0;
const dropMetrics = {
  export: (_, done) => {
    metricExports++;
    done({ code: 0 });
  },
  selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  shutdown: async () => {},
  forceFlush: async () => {},
};
// A queue long enough for calls without a network, which leave the timers that export little room.
const spanProcessor = new BatchSpanProcessor({ exporter: dropSpans, maxQueueSize: 100_000 });
const tracerProvider = new TracerProvider({ spanProcessors: [spanProcessor] });
const meterProvider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: dropMetrics, exportIntervalMillis: 1_000 })],
});

/** The four clients, each made by `client()`. */
const contendersOf = (client) => ({
  plain: client(),
  "observe({})": client().use(observe({})),
  "observe(otel()), no SDK registered": client().use(observe(otel())),
  [SDK]: client().use(observe(otel({ tracer: tracerProvider.getTracer("bench"), meter: meterProvider.getMeter("bench") }))),
});

const overHttp = () => new VclmClient({ region: "ap-singapore", endpoint: url, credentials: DEMO_ACCOUNT });
const { JobId } = await overHttp().send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/dancer.jpg" });
const input = { JobId };
// The emulator's answer to that Describe, given again at once by the fetch of the clients without a network.
let answer;
const keepAnswer = async (request, init) => {
  const response = await fetch(request, init);
  answer = { body: await response.clone().text(), headers: [...response.headers] };
  return response;
};
await new VclmClient({ region: "ap-singapore", endpoint: url, credentials: DEMO_ACCOUNT, fetch: keepAnswer }).send(
  DescribeImageAnimateJob,
  input,
);
const answeredAtOnce = async () => new Response(answer.body, { status: 200, headers: answer.headers });
const withoutNetwork = () => new VclmClient({ region: "ap-singapore", endpoint: url, credentials: DEMO_ACCOUNT, fetch: answeredAtOnce });

/** Microseconds of this process's CPU (user + system) spent on `calls` calls in a row. */
async function cpuOf(vclm, calls) {
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await vclm.send(DescribeImageAnimateJob, input);
  const { user, system } = process.cpuUsage(before);
  return user + system;
}

/** Each contender's CPU per call, round by round, in turns of `turn` calls. */
async function measure(contenders, turn) {
  const names = Object.keys(contenders);
  for (const vclm of Object.values(contenders)) await cpuOf(vclm, turn * TURNS); // warm-up: JIT, connections
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const spent = Object.fromEntries(names.map((name) => [name, 0]));
    for (let t = 0; t < TURNS; t++)
      for (let i = 0; i < names.length; i++) {
        const name = names[(t + i) % names.length];
        spent[name] += await cpuOf(contenders[name], turn);
      }
    for (const name of names) samples[name].push(spent[name] / (turn * TURNS));
  }
  return samples;
}

const sorted = (values) => [...values].sort((a, b) => a - b);
const median = (values) => sorted(values)[values.length >> 1];
const quartiles = (values) => [sorted(values)[values.length >> 2], sorted(values)[(values.length * 3) >> 2]];
const percent = (ratio) => `${ratio >= 0 ? "+" : ""}${(ratio * 100).toFixed(1)}%`;
/** How much more CPU than the plain client's, round by round (each round's ratio to its own plain figure). */
const extra = (samples, name) => samples[name].map((value, round) => value / samples.plain[round] - 1);
const tableOf = (samples) =>
  Object.entries(samples).map(([name, values]) => ({
    client: name,
    "CPU per call (µs)": Math.round(median(values)),
    "vs plain": name === "plain" ? "" : percent(median(extra(samples, name))),
    "middle half of rounds": name === "plain" ? "" : quartiles(extra(samples, name)).map(percent).join(" to "),
  }));

const loadAtStart = loadavg();
// Turns of about 30 ms of CPU each: 25 calls over loopback, 100 without a network.
const TURN = { http: 25, own: 100 };
const http = await measure(contendersOf(overHttp), TURN.http);
const own = await measure(contendersOf(withoutNetwork), TURN.own);
await tracerProvider.forceFlush();
const expectedSpans = (ROUNDS + 1) * TURNS * (TURN.http + TURN.own);
if (spansExported !== expectedSpans)
  throw new Error(`the SDK exported ${spansExported} spans, not ${expectedSpans}: the bench measured something else`);

const tables = {
  [`over loopback (median of ${ROUNDS} rounds of ${TURNS} turns of ${TURN.http} calls)`]: tableOf(http),
  [`the client's own work: a fetch that answers at once (median of ${ROUNDS} rounds of ${TURNS} turns of ${TURN.own} calls)`]: tableOf(own),
};
for (const [what, rows] of Object.entries(tables)) {
  console.log(`\n@vclm/otel on Node ${process.versions.node}, client CPU per DescribeImageAnimateJob, ${what}`);
  console.table(rows);
}
const overhead = median(extra(http, SDK));
const added = median(own[SDK]) - median(own.plain);
const addedShare = added / median(http.plain);
console.log(
  `with the SDK on: ${percent(overhead)} CPU per call over loopback (target: at most +10%); the SDK path adds ${Math.round(added)} µs of the client's own work, ${percent(addedShare)} of a loopback call; ${spansExported} spans exported, ${metricExports} metric exports`,
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
        turnsPerRound: TURNS,
        callsPerTurn: TURN,
        ...tables,
        withTheSdk: {
          overLoopback: percent(overhead),
          addedMicroseconds: Math.round(added),
          addedShareOfALoopbackCall: percent(addedShare),
        },
      },
      null,
      2,
    )}\n`,
  );
await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
process.exit(0);
