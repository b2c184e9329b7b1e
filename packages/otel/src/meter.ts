import { type Counter, type Gauge, type Histogram, type Meter, type MetricOptions, metrics } from "@opentelemetry/api";
import type { VclmMeter } from "@vclm/core";
import { defined } from "./attributes.js";
import { INSTRUMENTS } from "./instruments.js";
import { SCOPE, VERSION } from "./scope.js";

/** One instrument per name, made the first time the name is used. */
function lazily<T>(make: (name: string, options: MetricOptions) => T): (name: string) => T {
  const made = new Map<string, T>();
  return (name) => {
    let instrument = made.get(name);
    if (!instrument) {
      instrument = make(name, INSTRUMENTS[name] ?? {});
      made.set(name, instrument);
    }
    return instrument;
  };
}

/**
 * vclm's metrics hook over an OpenTelemetry meter: counters (`vclm.submits`, `vclm.describes`,
 * `vclm.retries`, `vclm.throttles`), the histogram `vclm.call.duration` (seconds) and the gauge
 * `vclm.slots.in_use`, each made once, when first used, with its description and unit.
 *
 * @param meter the meter to make instruments with; by default `metrics.getMeter("@vclm/otel", version)`, the global provider's.
 * @example
 * ```ts
 * import { metrics } from "@opentelemetry/api";
 *
 * const client = new VclmClient({ region: "ap-singapore" }).use(observe({ meter: otelMeter(metrics.getMeter("my-app")) }));
 * ```
 */
export function otelMeter(meter: Meter = metrics.getMeter(SCOPE, VERSION)): VclmMeter {
  const counter = lazily<Counter>((name, options) => meter.createCounter(name, options));
  const histogram = lazily<Histogram>((name, options) => meter.createHistogram(name, options));
  const gauge = lazily<Gauge>((name, options) => meter.createGauge(name, options));
  return {
    add: (name, value, attributes) => counter(name).add(value, attributes && defined(attributes)),
    record: (name, value, attributes) => histogram(name).record(value, attributes && defined(attributes)),
    gauge: (name, value, attributes) => gauge(name).record(value, attributes && defined(attributes)),
  };
}
