// Review of issue 25: `observe` used twice on one client. The second `use` throws (the middleware
// is in the stack already), but only after it has set `client.state.observer` to its own: the
// client's calls are watched by the first, while the poller, the batch, retry and the coordinator
// now report to the second. A plugin that refuses should change nothing.
import { makeObserver, observe, VclmClient } from "@vclm/core";
import { recordingTracer } from "@vclm/tools/recording";
import { expect, it } from "vitest";

it("a second observe that throws leaves the client's observer as it was", () => {
  const first = makeObserver({ tracer: recordingTracer().tracer });
  const second = makeObserver({ tracer: recordingTracer().tracer });
  const client = new VclmClient({ region: "ap-singapore", credentials: { secretId: "AKIDreview", secretKey: "review-key" } }).use(
    observe(first),
  );
  expect(() => client.use(observe(second))).toThrow(/already in the stack/);
  expect(client.state.observer === first ? "the first" : "the second's, with the first's middleware").toBe("the first");
});
