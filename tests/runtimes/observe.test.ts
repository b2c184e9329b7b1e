import { fileURLToPath } from "node:url";
import { makePng } from "@vclm/tools/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobsHandler, startTestServer, type TestServer } from "../../packages/core/test/server.js";
import { runtimes } from "./src/runners.js";

const probe = fileURLToPath(new URL("./probes/observe.js", import.meta.url));
const credentials = { secretId: "AKIDobserve", secretKey: "observe-secret-key" };
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ [credentials.secretId]: credentials.secretKey }, jobsHandler(8_000_000_000_000_000_000n));
});
afterAll(() => server.close());

const DESCRIBE = ["vclm.DescribeImageAnimateJob", "vclm.wait"];

describe.each(runtimes)("observe in $name", ({ run }) => {
  it("traces, logs and counts a throttled Submit and a wait under the caller's span; the server sees each call's traceparent; nothing secret", async () => {
    const before = server.received.length;
    // The service's answer to too many requests: the Submit is refused at the door, then tried again.
    server.rawOnce(
      200,
      JSON.stringify({ Response: { Error: { Code: "RequestLimitExceeded", Message: "Too many requests." }, RequestId: "throttled-1" } }),
    );
    const input = {
      endpoint: server.url,
      relayTarget: server.url,
      credentials,
      photoBase64: Buffer.from(makePng(600, 1000)).toString("base64"),
    };
    const summary = await run(probe, input);
    expect(summary).toEqual({
      tree: [["caller", null], ["vclm.SubmitImageAnimateJob", "caller"], ["vclm.wait", "caller"], DESCRIBE, DESCRIBE, DESCRIBE],
      oneTrace: true,
      allEnded: true,
      waitEvents: ["WAIT", "RUN", "DONE"],
      submit: {
        kind: "client",
        events: [["vclm.retry", "throttled", "RequestLimitExceeded"]],
        "cloud.provider": "tencent_cloud",
        "cloud.region": "ap-singapore",
        "http.response.status_code": 200,
        "http.request.resend_count": 1,
        jobIdIsTheJob: true,
      },
      callsAttributed: true,
      traceparents: expect.any(Array),
      logKinds: { "info vclm.retry": 1, "debug vclm.call": 4, "info vclm.job": 3 },
      counters: { "vclm.retries": 1, "vclm.throttles": 1, "vclm.submits": 1, "vclm.describes": 3 },
      durations: 4,
      secretsFound: [],
    });
    // What the server received (the throttled attempt was answered before it was read): each
    // request carried its call span's trace context.
    const seen = server.received.slice(before).map(({ headers }) => headers.traceparent);
    expect(seen).toEqual(summary.traceparents);
  });
});
