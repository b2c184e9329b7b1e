import { context, propagation, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import type { VclmAttributes, VclmSpan } from "@vclm/core";
import { defined } from "./attributes.js";

/** A vclm span over an OpenTelemetry span: what `otelTracer` hands out, and knows again as a parent. */
export class OtelSpan implements VclmSpan {
  readonly span: Span;

  constructor(span: Span) {
    this.span = span;
  }

  setAttributes(attributes: VclmAttributes): void {
    this.span.setAttributes(defined(attributes));
  }

  addEvent(name: string, attributes?: VclmAttributes): void {
    this.span.addEvent(name, attributes && defined(attributes));
  }

  // The status and error.type, as OpenTelemetry's conventions for a failed call ask; no exception
  // event: a stack says nothing about the service, and the message is already scrubbed.
  fail(type: string, message: string): void {
    this.span.setAttribute("error.type", type);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message });
  }

  end(): void {
    this.span.end();
  }

  /** `traceparent` (and `tracestate`, baggage...) as the registered propagator writes them. */
  inject(headers: Record<string, string>): void {
    propagation.inject(trace.setSpan(context.active(), this.span), headers);
  }
}
