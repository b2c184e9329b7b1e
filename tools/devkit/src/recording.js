// A recording tracer, logger and meter for tests: vclm's observability hooks (VclmTracer,
// VclmLogger, VclmMeter of @vclm/core) that keep what they are given, in plain JavaScript so a
// probe runs them in every runtime. Trace ids are counted, not random: a test can read the tree.

/** A tracer that records each span: its name, kind, ids, parent, attributes, events, failure, end. */
export function recordingTracer() {
  const spans = [];
  let ids = 0;
  const hex = (width) => (++ids).toString(16).padStart(width, "0");
  const tracer = {
    startSpan(name, { kind = "internal", attributes = {}, parent, headers } = {}) {
      const incoming = /^00-([0-9a-f]{32})-([0-9a-f]{16})-\d\d$/.exec(headers?.get?.("traceparent") ?? "");
      const record = {
        name,
        kind,
        traceId: parent?.record.traceId ?? incoming?.[1] ?? hex(32),
        spanId: hex(16),
        parentId: parent?.record.spanId ?? incoming?.[2],
        attributes: defined(attributes),
        events: [],
        error: undefined,
        ended: false,
      };
      spans.push(record);
      return {
        record,
        setAttributes: (more) => Object.assign(record.attributes, defined(more)),
        addEvent: (event, more) => record.events.push({ name: event, attributes: defined(more ?? {}) }),
        fail: (type, message) => {
          record.error = { type, message };
        },
        end: () => {
          record.ended = true;
        },
        inject: (into) => {
          into.traceparent = `00-${record.traceId}-${record.spanId}-01`;
        },
      };
    },
  };
  /** The spans whose parent is `span` (a record), in the order they started. */
  const childrenOf = (span) => spans.filter((other) => other.parentId === span.spanId && other.traceId === span.traceId);
  return { tracer, spans, childrenOf };
}

/** A logger that records each event with its level. */
export function recordingLogger() {
  const lines = [];
  const at = (level) => (event) => lines.push({ level, ...event });
  return { logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, lines };
}

/** A meter that sums counters, keeps each histogram's measurements and each gauge's last value, by name. */
export function recordingMeter() {
  const counters = {};
  const histograms = {};
  const gauges = {};
  const meter = {
    add: (name, value) => {
      counters[name] = (counters[name] ?? 0) + value;
    },
    record: (name, value) => {
      histograms[name] = [...(histograms[name] ?? []), value];
    },
    gauge: (name, value) => {
      gauges[name] = value;
    },
  };
  return { meter, counters, histograms, gauges };
}

const defined = (attributes) => Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));
