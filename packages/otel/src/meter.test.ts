// otelMeter on the real OpenTelemetry metrics SDK: each vclm measurement reaches an instrument of
// the right kind, made once per name, with its description and unit.
import { DataPointType, type HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it } from "vitest";
import { metric, type Sdk, startSdk, total } from "../test/sdk.js";
import { otelMeter } from "./meter.js";

let sdk: Sdk;
afterEach(() => sdk.shutdown());

describe("otelMeter", () => {
  it("counts, records and sets through one instrument per name, each with its description and unit", async () => {
    sdk = startSdk();
    const made: string[] = [];
    const { meter } = sdk;
    const watched = new Proxy(meter, {
      get: (target, key: keyof typeof meter) =>
        typeof target[key] === "function" && String(key).startsWith("create")
          ? (name: string, ...rest: unknown[]) => {
              made.push(`${String(key)} ${name}`);
              return (target[key] as (...args: unknown[]) => unknown).call(target, name, ...rest);
            }
          : target[key],
    });
    const vclm = otelMeter(watched);
    vclm.add("vclm.submits", 1, { "vclm.outcome": "WAIT", "vclm.absent": undefined });
    vclm.add("vclm.submits", 1, { "vclm.outcome": "RequestLimitExceeded" });
    vclm.add("vclm.retries", 2);
    vclm.record("vclm.call.duration", 0.084, { "vclm.action": "DescribeImageAnimateJob" });
    vclm.record("vclm.call.duration", 1.5, { "vclm.action": "DescribeImageAnimateJob" });
    vclm.gauge("vclm.slots.in_use", 3);
    vclm.gauge("vclm.slots.in_use", 7);
    vclm.add("my.own.count", 5);

    expect(made).toEqual([
      "createCounter vclm.submits",
      "createCounter vclm.retries",
      "createHistogram vclm.call.duration",
      "createGauge vclm.slots.in_use",
      "createCounter my.own.count",
    ]);
    const all = await sdk.metrics();
    expect(total(all, "vclm.submits")).toBe(2);
    expect(metric(all, "vclm.submits").dataPoints.map((point) => point.attributes)).toEqual([
      { "vclm.outcome": "WAIT" },
      { "vclm.outcome": "RequestLimitExceeded" },
    ]);
    expect(metric(all, "vclm.submits").descriptor).toMatchObject({
      unit: "{call}",
      description: expect.stringContaining("SubmitImageAnimateJob"),
    });
    expect(total(all, "vclm.retries")).toBe(2);
    expect(total(all, "my.own.count")).toBe(5);
    expect(metric(all, "my.own.count").descriptor).toMatchObject({ unit: "", description: "" });

    const duration = metric(all, "vclm.call.duration") as HistogramMetricData;
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(duration.descriptor.unit).toBe("s");
    // Buckets in seconds: 84 ms and 1.5 s fall in different ones (the SDK's default buckets start at 5).
    const [point] = duration.dataPoints;
    expect(point?.value.buckets.boundaries).toContain(0.1);
    expect(point?.value.buckets.counts.filter((count) => count > 0)).toEqual([1, 1]);

    const slots = metric(all, "vclm.slots.in_use");
    expect(slots.dataPointType).toBe(DataPointType.GAUGE);
    expect(slots.dataPoints.map((p) => p.value)).toEqual([7]);
  });
});
