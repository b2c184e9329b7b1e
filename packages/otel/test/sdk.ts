// The real OpenTelemetry SDK, set up as a Node app would, with in-memory exporters the tests read:
// spans through a SimpleSpanProcessor, metrics through a reader collected on demand; trace context
// carried by AsyncLocalStorage, and written and read as W3C traceparent.
import { context, type Meter, metrics, propagation, type Tracer, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { MeterProvider, type MetricData, MetricReader } from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

/** A metric reader that exports nowhere: the test collects. */
class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** The process's context manager and propagator, as the Node SDK registers them (replacing any before). */
export function registerNodeContext(): void {
  context.disable();
  propagation.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

export interface Sdk {
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  /** The app's own tracer and meter. */
  readonly tracer: Tracer;
  readonly meter: Meter;
  /** Every span ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** Every metric recorded so far (cumulative). */
  metrics(): Promise<MetricData[]>;
  /** The metrics recorded so far, by the name of the meter's scope. */
  metricsByScope(): Promise<Map<string, MetricData[]>>;
  /** Makes these providers the global ones (for the adapter's defaults). */
  registerGlobally(): void;
  shutdown(): Promise<void>;
}

async function collect(reader: MetricReader): Promise<Map<string, MetricData[]>> {
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length) throw errors[0];
  return new Map(resourceMetrics.scopeMetrics.map(({ scope, metrics }) => [scope.name, metrics]));
}

export function startSdk(): Sdk {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    tracer: tracerProvider.getTracer("test-app"),
    meter: meterProvider.getMeter("test-app"),
    spans: () => exporter.getFinishedSpans(),
    metrics: async () => [...(await collect(reader)).values()].flat(),
    metricsByScope: () => collect(reader),
    registerGlobally() {
      trace.disable();
      metrics.disable();
      trace.setGlobalTracerProvider(tracerProvider);
      metrics.setGlobalMeterProvider(meterProvider);
    },
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** The spans whose parent is `span`, in the order they started. */
export const childrenOf = (spans: readonly ReadableSpan[], span: ReadableSpan): ReadableSpan[] =>
  spans
    .filter((other) => other.parentSpanContext?.spanId === span.spanContext().spanId)
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);

/** The one span of that name (the test fails naming it when there is none, or more than one). */
export function only(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one span ${name}, found ${found.length}: ${spans.map((s) => s.name).join(", ")}`);
  return found[0] as ReadableSpan;
}

/** A span's W3C traceparent, as a propagator writes it for the sampled span. */
export const traceparentOf = (span: ReadableSpan): string => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;

/** A metric by name (the test fails naming it when it was never recorded). */
export function metric(all: readonly MetricData[], name: string): MetricData {
  const found = all.find((data) => data.descriptor.name === name);
  if (!found) throw new Error(`no metric ${name} among ${all.map((data) => data.descriptor.name).join(", ")}`);
  return found;
}

/** A counter's total over its attribute sets, or how many measurements a histogram has. */
export function total(all: readonly MetricData[], name: string): number {
  const data = metric(all, name);
  return (data.dataPoints as { value: number | { count: number } }[]).reduce(
    (sum, { value }) => sum + (typeof value === "number" ? value : value.count),
    0,
  );
}
