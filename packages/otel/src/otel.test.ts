// otel() with no arguments reports to the providers the app registered with the OpenTelemetry API,
// under the scope "@vclm/otel".
import { afterEach, describe, expect, it } from "vitest";
import { type Sdk, startSdk } from "../test/sdk.js";
import { otel } from "./otel.js";

let sdk: Sdk;
afterEach(() => sdk.shutdown());

describe("otel", () => {
  it("reports to the global tracer and meter providers by default, as @vclm/otel", async () => {
    sdk = startSdk();
    sdk.registerGlobally();
    const { tracer, meter } = otel();
    tracer.startSpan("vclm.batch", {}).end();
    meter.add("vclm.submits", 1);
    expect(sdk.spans().map((span) => [span.name, span.instrumentationScope.name])).toEqual([["vclm.batch", "@vclm/otel"]]);
    const byScope = await sdk.metricsByScope();
    expect([...byScope.keys()]).toEqual(["@vclm/otel"]);
    expect(byScope.get("@vclm/otel")?.map((data) => data.descriptor.name)).toEqual(["vclm.submits"]);
  });
});
