/**
 * OpenTelemetry for vclm: `client.use(observe(otel()))` makes each VCLM call a client span with the
 * region, the HTTP status, the retries, the RequestId and the JobId; a wait a span whose events
 * are the job's statuses; and counts Submits, Describes, retries and throttles. `@opentelemetry/api`
 * is a peer dependency: your app's OpenTelemetry SDK decides where it all goes.
 *
 * @packageDocumentation
 */
export { otelMeter } from "./meter.js";
export { type OtelOptions, otel } from "./otel.js";
export { otelTracer } from "./tracer.js";
