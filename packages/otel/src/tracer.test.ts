// otelTracer on the real OpenTelemetry SDK (in-memory exporter, AsyncLocalStorage context, W3C
// propagator): how vclm's span options become OpenTelemetry's, which span is the parent, how a
// failure and the trace context are written.
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { only, registerNodeContext, type Sdk, startSdk, traceparentOf } from "../test/sdk.js";
import { otelTracer } from "./tracer.js";

let sdk: Sdk;
beforeAll(registerNodeContext);
afterEach(() => sdk?.shutdown());
const adapter = () => {
  sdk = startSdk();
  return otelTracer(sdk.tracer);
};

describe("otelTracer", () => {
  it("maps the kind, and leaves undefined attributes out of the start, setAttributes and events", () => {
    const tracer = adapter();
    for (const kind of ["client", "server", "internal", undefined] as const) {
      const span = tracer.startSpan(`span ${kind}`, {
        kind,
        attributes: { "vclm.job_id": "7532277463506747392", "vclm.absent": undefined },
      });
      span.setAttributes({ "http.response.status_code": 200, "vclm.request_id": undefined });
      span.addEvent("RUN", { "vclm.error_code": undefined, "vclm.attempt": 2 });
      span.end();
    }
    expect(sdk.spans().map((span) => span.kind)).toEqual([SpanKind.CLIENT, SpanKind.SERVER, SpanKind.INTERNAL, SpanKind.INTERNAL]);
    const [client] = sdk.spans();
    expect(client?.attributes).toEqual({ "vclm.job_id": "7532277463506747392", "http.response.status_code": 200 });
    expect(client?.events.map(({ name, attributes }) => ({ name, attributes }))).toEqual([
      { name: "RUN", attributes: { "vclm.attempt": 2 } },
    ]);
  });

  it("makes a span it made the parent when given as parent, over the active span", () => {
    const tracer = adapter();
    const wait = tracer.startSpan("vclm.wait", {});
    const elsewhere = sdk.tracer.startSpan("active elsewhere");
    context.with(trace.setSpan(context.active(), elsewhere), () =>
      tracer.startSpan("vclm.DescribeImageAnimateJob", { parent: wait }).end(),
    );
    wait.end();
    elsewhere.end();
    const describe = only(sdk.spans(), "vclm.DescribeImageAnimateJob");
    expect(describe.parentSpanContext?.spanId).toBe(only(sdk.spans(), "vclm.wait").spanContext().spanId);
  });

  it("takes the active span as the parent when none is given, or the parent is not one of its own", () => {
    const tracer = adapter();
    const foreign = { setAttributes() {}, addEvent() {}, fail() {}, end() {} }; // a span of another tracer
    sdk.tracer.startActiveSpan("my request", (request) => {
      tracer.startSpan("no parent", {}).end();
      tracer.startSpan("foreign parent", { parent: foreign }).end();
      request.end();
    });
    const request = only(sdk.spans(), "my request");
    for (const name of ["no parent", "foreign parent"]) {
      expect(only(sdk.spans(), name).parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(only(sdk.spans(), name).spanContext().traceId).toBe(request.spanContext().traceId);
    }
    tracer.startSpan("nothing active", {}).end();
    expect(only(sdk.spans(), "nothing active").parentSpanContext).toBeUndefined();
  });

  it("continues the trace of a request's traceparent (a relay's server span), unless an active span already continues it", () => {
    const tracer = adapter();
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const headers = new Headers({ TraceParent: `00-${traceId}-00f067aa0ba902b7-01` });
    tracer.startSpan("vclm.relay", { kind: "server", headers }).end();
    const relay = only(sdk.spans(), "vclm.relay");
    expect(relay.spanContext().traceId).toBe(traceId);
    expect(relay.parentSpanContext).toMatchObject({ spanId: "00f067aa0ba902b7", isRemote: true });

    // An HTTP instrumentation's server span, already a child of the caller's, stays the parent.
    const http = sdk.tracer.startSpan("POST /relay", {}, relayContext(relay));
    context.with(trace.setSpan(context.active(), http), () => tracer.startSpan("inside http", { headers }).end());
    http.end();
    expect(only(sdk.spans(), "inside http").parentSpanContext?.spanId).toBe(http.spanContext().spanId);

    tracer.startSpan("no traceparent", { headers: new Headers() }).end();
    expect(only(sdk.spans(), "no traceparent").parentSpanContext).toBeUndefined();
  });

  it("fails a span with status ERROR, its message and error.type, and records no exception", () => {
    const tracer = adapter();
    const span = tracer.startSpan("vclm.SubmitImageAnimateJob", { kind: "client" });
    span.fail("RequestLimitExceeded", "too many requests");
    span.end();
    const [failed] = sdk.spans();
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: "too many requests" });
    expect(failed?.attributes["error.type"]).toBe("RequestLimitExceeded");
    expect(failed?.events).toEqual([]);
  });

  it("injects its own trace context as W3C traceparent, whatever span is active", () => {
    const tracer = adapter();
    const span = tracer.startSpan("vclm.DescribeImageAnimateJob", { kind: "client" });
    const headers: Record<string, string> = { "X-TC-Action": "DescribeImageAnimateJob" };
    sdk.tracer.startActiveSpan("other", (other) => {
      span.inject?.(headers);
      other.end();
    });
    span.end();
    expect(headers).toEqual({
      "X-TC-Action": "DescribeImageAnimateJob",
      traceparent: traceparentOf(only(sdk.spans(), "vclm.DescribeImageAnimateJob")),
    });
  });
});

/** The context a span of `relay`'s trace would be active in: a child of the remote caller. */
function relayContext(relay: ReturnType<Sdk["spans"]>[number]) {
  return trace.setSpanContext(context.active(), {
    ...relay.spanContext(),
    spanId: relay.parentSpanContext?.spanId as string,
    isRemote: true,
  });
}
