// `pnpm bench` for @vclm/otel: the CPU a DescribeImageAnimateJob call costs the client's process
// (process.cpuUsage around CALLS calls in a row; the emulator answers on loopback from its own
// process), for the same client plain, with observe({}) (the hook, nothing to report to), and with
// observe(otel()): once with no OpenTelemetry SDK
// registered (the API's no-op tracer and meter), once on the real SDK as an app runs it
// (TracerProvider + BatchSpanProcessor, MeterProvider + a periodic reader, AsyncLocalStorage
// context, W3C propagator; exporters that drop what they get, so only vclm's and the SDK's work is
// counted). Contenders take turns in rounds; a contender's figure is the median of its rounds, its
// extra CPU the median of its rounds' ratios to the plain client's in the same round (the machine's
// other work changes between rounds more than within one). The target:
// at most 10% more CPU per call with the SDK on. `--quick` runs fewer rounds; the full run writes
// bench/results.json.
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
const ROUNDS = quick ? 5 : 15;
const CALLS = quick ? 200 : 300;

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
const tracerProvider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: dropSpans })] });
const meterProvider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: dropMetrics, exportIntervalMillis: 1_000 })],
});

const client = () => new VclmClient({ region: "ap-singapore", endpoint: url, credentials: DEMO_ACCOUNT });
const contenders = {
  plain: client(),
  "observe({})": client().use(observe({})),
  "observe(otel()), no SDK registered": client().use(observe(otel())),
  "observe(otel()), the SDK": client().use(
    observe(otel({ tracer: tracerProvider.getTracer("bench"), meter: meterProvider.getMeter("bench") })),
  ),
};

const { JobId } = await contenders.plain.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/dancer.jpg" });
const input = { JobId };

/** Microseconds of this process's CPU (user + system) per call, over CALLS calls in a row. */
async function cpuPerCall(vclm) {
  const before = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await vclm.send(DescribeImageAnimateJob, input);
  const { user, system } = process.cpuUsage(before);
  return (user + system) / CALLS;
}

const load = loadavg();
const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
for (const vclm of Object.values(contenders)) await cpuPerCall(vclm); // warm-up: JIT, connections
const names = Object.keys(contenders);
for (let round = 0; round < ROUNDS; round++)
  for (let i = 0; i < names.length; i++) {
    const name = names[(round + i) % names.length];
    samples[name].push(await cpuPerCall(contenders[name]));
  }
await tracerProvider.forceFlush();
const expectedSpans = (ROUNDS + 1) * CALLS;
if (spansExported !== expectedSpans)
  throw new Error(`the SDK exported ${spansExported} spans, not ${expectedSpans}: the bench measured something else`);

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
/** The median over rounds of how much more CPU than the plain client's in the same round. */
const extra = (name) => median(samples[name].map((value, round) => value / samples.plain[round] - 1));
const rows = Object.entries(samples).map(([name, values]) => ({
  client: name,
  "CPU per call (µs)": Math.round(median(values)),
  "vs plain": `${(extra(name) * 100).toFixed(1)}%`,
  "rounds (min–max µs)": `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}`,
}));
console.log(
  `\n@vclm/otel on Node ${process.versions.node}: client CPU per DescribeImageAnimateJob (median of ${ROUNDS} interleaved rounds of ${CALLS} calls; the emulator in its own process)`,
);
console.table(rows);
const overhead = extra("observe(otel()), the SDK");
console.log(
  `with the SDK on: ${(overhead * 100).toFixed(1)}% more CPU per call (target: at most 10%); ${spansExported} spans exported, ${metricExports} metric exports`,
);

if (!quick)
  await writeFile(
    new URL("./results.json", import.meta.url),
    `${JSON.stringify(
      {
        node: process.versions.node,
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        loadAverageAtStart: load.map((value) => value.toFixed(2)).join(", "),
        rounds: ROUNDS,
        callsPerRound: CALLS,
        rows,
        overheadWithSdk: `${(overhead * 100).toFixed(1)}%`,
      },
      null,
      2,
    )}\n`,
  );
await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
process.exit(0);
