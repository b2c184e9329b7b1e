// Structural types, as @vclm/core declares them (this package does not depend on it).
type Value = string | number | boolean;
type Attributes = Record<string, Value | undefined>;
interface Span {
  setAttributes(attributes: Attributes): void;
  addEvent(name: string, attributes?: Attributes): void;
  fail(type: string, message: string): void;
  end(): void;
  inject(headers: Record<string, string>): void;
}
interface Tracer {
  startSpan(
    name: string,
    options: {
      kind?: "internal" | "client" | "server" | undefined;
      attributes?: Attributes | undefined;
      parent?: unknown;
      headers?: Headers | undefined;
    },
  ): Span;
}
type Level = "debug" | "info" | "warn" | "error";
interface LogEvent {
  readonly msg: string;
  readonly event: string;
  readonly [field: string]: Value | undefined;
}
type Logger = Record<Level, (event: LogEvent) => void>;
interface Meter {
  add(name: string, value: number, attributes?: Attributes): void;
  record(name: string, value: number, attributes?: Attributes): void;
  gauge(name: string, value: number, attributes?: Attributes): void;
}

/** A span as the recording tracer kept it. */
export interface RecordedSpan {
  readonly name: string;
  readonly kind: "internal" | "client" | "server";
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string | undefined;
  readonly attributes: Record<string, Value>;
  readonly events: { name: string; attributes: Record<string, Value> }[];
  readonly error: { type: string; message: string } | undefined;
  readonly ended: boolean;
}

/** A tracer that records each span. */
export function recordingTracer(): {
  tracer: Tracer;
  spans: RecordedSpan[];
  childrenOf(span: RecordedSpan): RecordedSpan[];
};

/** A logger that records each event with its level. */
export function recordingLogger(): { logger: Logger; lines: (LogEvent & { level: Level })[] };

/** A meter that sums counters, keeps histograms' measurements and gauges' last values. */
export function recordingMeter(): {
  meter: Meter;
  counters: Record<string, number>;
  histograms: Record<string, number[]>;
  gauges: Record<string, number>;
};
