// One contender of the bench in its own process, as an app that runs OpenTelemetry has it: the SDK
// set up (TracerProvider + BatchSpanProcessor, MeterProvider + a periodic reader, exporters that
// drop what they get), the AsyncLocalStorage context manager with the app's context active, the W3C
// propagator. Only the client differs: plain, observe({}), observe(otel()) on the API's no-op
// tracer and meter, or observe(otel()) on the SDK. After a warm-up, makes `calls` Describes in a
// row and prints the process's CPU per call (µs, user and system) as JSON: a long-running app's.
//   node bench/client.js <contender> <emulator URL> <JobId> <calls>
import { context, propagation, ROOT_CONTEXT } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { DescribeImageAnimateJob, observe, VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { otel } from "../dist/index.js";

const [contender, url, JobId, calls] = process.argv.slice(2);
// Calls before measuring: until then the JIT compiles the path (on threads whose CPU counts too).
const WARM_UP = 3_000;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
let spans = 0;
const dropSpans = {
  export: (batch, done) => {
    spans += batch.length;
    done({ code: 0 });
  },
  shutdown: async () => {},
  forceFlush: async () => {},
};
const dropMetrics = {
  export: (_, done) => done({ code: 0 }),
  selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  shutdown: async () => {},
  forceFlush: async () => {},
};
const tracerProvider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: dropSpans })] });
const meterProvider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: dropMetrics, exportIntervalMillis: 1_000 })],
});

const plugins = {
  plain: [],
  "observe({})": [observe({})],
  "observe(otel()), no SDK registered": [observe(otel())],
  "observe(otel()), the SDK": [observe(otel({ tracer: tracerProvider.getTracer("bench"), meter: meterProvider.getMeter("bench") }))],
};
if (!plugins[contender]) throw new Error(`no contender ${contender}: one of ${Object.keys(plugins).join(", ")}`);
const client = new VclmClient({ region: "ap-singapore", endpoint: url, credentials: DEMO_ACCOUNT });
for (const plugin of plugins[contender]) client.use(plugin);

// The app's context is active, as in a request an instrumented server handles.
await context.with(ROOT_CONTEXT.setValue(Symbol.for("bench.app"), true), async () => {
  for (let i = 0; i < WARM_UP; i++) await client.send(DescribeImageAnimateJob, { JobId });
  const before = process.cpuUsage();
  for (let i = 0; i < Number(calls); i++) await client.send(DescribeImageAnimateJob, { JobId });
  const { user, system } = process.cpuUsage(before);
  await tracerProvider.forceFlush();
  const expected = contender.endsWith("the SDK") ? WARM_UP + Number(calls) : 0;
  if (spans !== expected) throw new Error(`${contender}: ${spans} spans exported, not ${expected}: the bench measured something else`);
  console.log(JSON.stringify({ user: user / Number(calls), system: system / Number(calls) }));
});
await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
