import type { Meter, Tracer } from "@opentelemetry/api";
import type { VclmMeter, VclmTracer } from "@vclm/core";
import { otelMeter } from "./meter.js";
import { otelTracer } from "./tracer.js";

/**
 * Which OpenTelemetry tracer and meter {@link otel} reports to.
 *
 * @example
 * ```ts
 * import { metrics, trace } from "@opentelemetry/api";
 *
 * const options: OtelOptions = { tracer: trace.getTracer("my-app"), meter: metrics.getMeter("my-app") };
 * ```
 */
export interface OtelOptions {
  /** @default trace.getTracer("@vclm/otel", its version): the global tracer provider's */
  readonly tracer?: Tracer | undefined;
  /** @default metrics.getMeter("@vclm/otel", its version): the global meter provider's */
  readonly meter?: Meter | undefined;
}

/**
 * OpenTelemetry traces and metrics for a vclm client: what `observe` takes ({@link otelTracer}
 * and {@link otelMeter}), by default to the providers your app registered with the OpenTelemetry
 * API. With none registered, the API's tracer and meter record nothing.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" }).use(observe(otel()));
 * const alsoLogged = new VclmClient({ region: "ap-singapore" }).use(observe({ ...otel(), logger: console }));
 * ```
 */
export function otel({ tracer, meter }: OtelOptions = {}): { readonly tracer: VclmTracer; readonly meter: VclmMeter } {
  return { tracer: otelTracer(tracer), meter: otelMeter(meter) };
}
