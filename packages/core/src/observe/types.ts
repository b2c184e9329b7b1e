/**
 * What a span or a log line may carry: strings, numbers and booleans (OpenTelemetry's attribute
 * values, without arrays). vclm never puts a key, a token, a signature, photo bytes or a signed
 * URL's query in one.
 *
 * @example
 * ```ts
 * const attributes: VclmAttributes = { "vclm.job_id": "7532277463506747392", "http.response.status_code": 200 };
 * ```
 */
export type VclmAttributes = Record<string, string | number | boolean | undefined>;

/**
 * How {@link VclmTracer.startSpan} starts a span.
 *
 * @example
 * ```ts
 * const options: VclmSpanOptions = { kind: "client", attributes: { "cloud.region": "ap-singapore" } };
 * ```
 */
export interface VclmSpanOptions {
  /** `client` for a call to the service, `server` for a request a relay answers; `internal` otherwise. @default "internal" */
  readonly kind?: "internal" | "client" | "server" | undefined;
  readonly attributes?: VclmAttributes | undefined;
  /** The span this one is part of (a wait's, a batch photo's). Without it, the runtime's active span, if the tracer knows one. */
  readonly parent?: VclmSpan | undefined;
  /** The trace context (W3C `traceparent`, `tracestate`) this span continues: a relay's incoming request's, and only those headers. */
  readonly headers?: Headers | undefined;
}

/**
 * A span as vclm uses it: the few things it does with one. `@vclm/otel` makes one of an
 * OpenTelemetry span; a test can record them.
 *
 * @example
 * ```ts
 * const printed: VclmSpan = {
 *   setAttributes: (attributes) => console.log("attributes", attributes),
 *   addEvent: (name, attributes) => console.log("event", name, attributes),
 *   fail: (type, message) => console.log("failed", type, message),
 *   end: () => console.log("end"),
 * };
 * ```
 */
export interface VclmSpan {
  setAttributes(attributes: VclmAttributes): void;
  /** Something happened during the span: a job's status change, a retry. */
  addEvent(name: string, attributes?: VclmAttributes): void;
  /** It failed: `type` is short and stable (a service error code, an error's name), `message` says what happened. */
  fail(type: string, message: string): void;
  end(): void;
  /** Writes its trace context into the headers of a request it makes, or of an answer (W3C `traceparent`, `tracestate`). */
  inject?(headers: Record<string, string>): void;
}

/**
 * The tracing hook: what vclm needs of a tracer, and no more. Give one to `observe` (from
 * `@vclm/otel`: `otelTracer()`); without one, nothing is traced and nothing is paid.
 *
 * @example
 * ```ts
 * const tracer: VclmTracer = {
 *   startSpan: (name) => ({ setAttributes() {}, addEvent() {}, fail() {}, end: () => console.log(name, "ended") }),
 * };
 * const client = new VclmClient({ region: "ap-singapore" }).use(observe({ tracer }));
 * ```
 */
export interface VclmTracer {
  startSpan(name: string, options: VclmSpanOptions): VclmSpan;
}

/**
 * One thing that happened, as one object: `msg` in words, `event` its kind (`vclm.call`,
 * `vclm.retry`, `vclm.job`, `vclm.batch`, `vclm.coordinator`, `vclm.relay`), and its fields.
 *
 * @example
 * ```ts
 * const event: VclmLogEvent = { msg: "DescribeImageAnimateJob: 200 in 84 ms", event: "vclm.call", action: "DescribeImageAnimateJob", ms: 84 };
 * ```
 */
export interface VclmLogEvent {
  readonly msg: string;
  readonly event: string;
  readonly [field: string]: string | number | boolean | undefined;
}

/**
 * The logging hook: levels, one object per event. `console` is one, and so are pino and most
 * loggers (pino takes `msg` as the message).
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" }).use(observe({ logger: console }));
 * ```
 */
export interface VclmLogger {
  debug(event: VclmLogEvent): void;
  info(event: VclmLogEvent): void;
  warn(event: VclmLogEvent): void;
  error(event: VclmLogEvent): void;
}

/**
 * The metrics hook: counters (`vclm.submits`, `vclm.describes`, `vclm.retries`, `vclm.throttles`),
 * a histogram of call durations (`vclm.call.duration`, seconds) and a gauge of the account's job
 * slots in use (`vclm.slots.in_use`). `@vclm/otel`'s `otelMeter()` makes them OpenTelemetry instruments.
 *
 * @example
 * ```ts
 * const counts = new Map<string, number>();
 * const meter: VclmMeter = {
 *   add: (name, value) => counts.set(name, (counts.get(name) ?? 0) + value),
 *   record: () => {},
 *   gauge: () => {},
 * };
 * ```
 */
export interface VclmMeter {
  /** Adds to a counter. */
  add(name: string, value: number, attributes?: VclmAttributes): void;
  /** Records a measurement of a histogram. */
  record(name: string, value: number, attributes?: VclmAttributes): void;
  /** Sets a gauge. */
  gauge(name: string, value: number, attributes?: VclmAttributes): void;
}
