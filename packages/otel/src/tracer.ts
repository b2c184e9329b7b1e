import { type Context, context, propagation, SpanKind, type TextMapGetter, type Tracer, trace } from "@opentelemetry/api";
import type { VclmSpan, VclmSpanOptions, VclmTracer } from "@vclm/core";
import { defined } from "./attributes.js";
import { SCOPE, VERSION } from "./scope.js";
import { OtelSpan } from "./span.js";

const KINDS = { internal: SpanKind.INTERNAL, client: SpanKind.CLIENT, server: SpanKind.SERVER } as const;

/** Reads a trace context from a fetch `Headers` (names are case-insensitive there). */
const fromHeaders: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/**
 * The context a span starts in: its vclm parent's span; else the incoming request's trace context
 * (over the active one, unless an active span already continues that trace, as an HTTP
 * instrumentation's server span does); else the active context (`context.with`, `startActiveSpan`).
 */
function parentContext(parent: VclmSpan | undefined, headers: Headers | undefined): Context {
  const active = context.active();
  if (parent instanceof OtelSpan) return trace.setSpan(active, parent.span);
  if (!headers) return active;
  const incoming = propagation.extract(active, headers, fromHeaders);
  const current = trace.getSpanContext(active);
  return current && current.traceId === trace.getSpanContext(incoming)?.traceId ? active : incoming;
}

/**
 * vclm's tracing hook over an OpenTelemetry tracer. Each span's parent is the vclm span given as
 * `parent` (a wait's, a batch photo's), or else the trace context of the request a relay answers,
 * or else the active span: on Node, with an `AsyncLocalStorageContextManager` registered (the
 * Node SDK does it), the span of the request your app is serving. A failed span has status ERROR,
 * its message, and `error.type`; no exception with a stack is recorded. `inject` writes the
 * trace context with the registered propagator (W3C `traceparent` once one is registered: the
 * Node SDK's default).
 *
 * @param tracer the tracer to start spans with; by default `trace.getTracer("@vclm/otel", version)`, the global provider's.
 * @example
 * ```ts
 * import { trace } from "@opentelemetry/api";
 *
 * const client = new VclmClient({ region: "ap-singapore" }).use(observe({ tracer: otelTracer(trace.getTracer("my-app")) }));
 * ```
 */
export function otelTracer(tracer: Tracer = trace.getTracer(SCOPE, VERSION)): VclmTracer {
  return {
    startSpan(name, { kind = "internal", attributes, parent, headers }: VclmSpanOptions): VclmSpan {
      const options = { kind: KINDS[kind], attributes: defined(attributes ?? {}) };
      return new OtelSpan(tracer.startSpan(name, options, parentContext(parent, headers)));
    },
  };
}
