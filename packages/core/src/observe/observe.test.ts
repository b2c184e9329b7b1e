// observe() end to end over real HTTP on loopback, against the signature-checking test server, with
// the recording tracer, logger and meter: one client span per call with the conventional
// attributes, a child of the caller's span; log lines and counts; and none of the secrets.
import { recordingLogger, recordingMeter, recordingTracer } from "@vclm/tools/recording";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobsHandler, startTestServer, type TestServer } from "../../test/server.js";
import { isServiceError, VclmClient } from "../index.js";
import { DescribeImageAnimateJob, SubmitImageAnimateJob } from "../operations/operations.js";
import { observe } from "./observe.js";
import { makeObserver } from "./observer.js";
import { scrub } from "./scrub.js";

const SECRET_KEY = "observe-secret-key-never-shown-0001";
const TOKEN = "observe-session-token-never-shown-QmFzZTY0VG9rZW4wMDAxMjM0NTY3ODlBQkNERUY";
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ AKIDobserve: SECRET_KEY }, jobsHandler());
});
afterAll(() => server.close());

function watched() {
  const tracing = recordingTracer();
  const logging = recordingLogger();
  const metering = recordingMeter();
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: server.url,
    credentials: { secretId: "AKIDobserve", secretKey: SECRET_KEY, token: TOKEN },
  }).use(observe({ tracer: tracing.tracer, logger: logging.logger, meter: metering.meter }));
  return { client, ...tracing, ...logging, ...metering };
}

describe("observe", () => {
  it("makes one client span per call with the region, host, status, RequestId and JobId, a child of the caller's span", async () => {
    const { client, tracer, spans, childrenOf } = watched();
    const root = tracer.startSpan("my request", {});
    const { JobId } = await client.send(
      SubmitImageAnimateJob,
      { TemplateId: "ke3", ImageUrl: "https://photos.example/a.jpg?sig=zzz" },
      { parent: root },
    );
    await client.send(DescribeImageAnimateJob, { JobId }, { parent: root });
    root.end();

    const [submit, describe] = childrenOf(spans[0] as (typeof spans)[number]);
    expect(submit).toMatchObject({
      name: "vclm.SubmitImageAnimateJob",
      kind: "client",
      ended: true,
      error: undefined,
      attributes: {
        "cloud.provider": "tencent_cloud",
        "cloud.region": "ap-singapore",
        "server.address": "127.0.0.1",
        "http.request.method": "POST",
        "http.response.status_code": 200,
        "vclm.action": "SubmitImageAnimateJob",
        "vclm.template_id": "ke3",
        "vclm.job_id": JobId,
        "vclm.request_id": expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    });
    expect(submit?.attributes).not.toHaveProperty("http.request.resend_count"); // sent once
    expect(describe).toMatchObject({
      name: "vclm.DescribeImageAnimateJob",
      attributes: { "vclm.job_id": JobId, "vclm.job.status": "WAIT" },
    });
  });

  it("sends the call span's trace context with each request (traceparent), and nothing it signs changes", async () => {
    const { client, spans } = watched();
    await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://photos.example/a.jpg" });
    const sent = server.received.at(-1);
    expect(sent?.headers.traceparent).toBe(`00-${spans[0]?.traceId}-${spans[0]?.spanId}-01`); // and the server accepted its signature
  });

  it("keeps the trace context a relay sends back (traceresponse) on the span and in the log line", async () => {
    const { client, spans, lines } = watched();
    const back = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const answer = { Response: { Status: "RUN", ErrorCode: "", ErrorMessage: "", ResultVideoUrl: "", RequestId: "r-2" } };
    server.rawOnce(200, JSON.stringify(answer), { traceresponse: back });
    await client.send(DescribeImageAnimateJob, { JobId: "1" });
    expect(spans[0]?.attributes["vclm.relay.traceresponse"]).toBe(back);
    expect(lines[0]).toMatchObject({ event: "vclm.call", traceresponse: back, requestId: "r-2" });
  });

  it("fails the span with the service's code and RequestId, logs it as a warning, and counts the Submit by outcome", async () => {
    const { client, spans, lines, counters } = watched();
    const error = await client.send(DescribeImageAnimateJob, { JobId: "404404404" }).catch((e: unknown) => e);
    expect(isServiceError(error, "FailedOperation.JobNotFound")).toBe(true);
    expect(spans[0]).toMatchObject({
      error: { type: "FailedOperation.JobNotFound", message: expect.stringContaining("The task does not exist") },
      attributes: { "error.type": "FailedOperation.JobNotFound", "vclm.request_id": expect.any(String), "http.response.status_code": 200 },
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: "warn",
        event: "vclm.call",
        action: "DescribeImageAnimateJob",
        code: "FailedOperation.JobNotFound",
        jobId: "404404404",
      }),
    ]);
    expect(lines[0]?.msg).toMatch(/^DescribeImageAnimateJob failed: FailedOperation\.JobNotFound: .* in \d+ ms$/); // the action once
    expect(counters).toEqual({ "vclm.describes": 1 });
  });

  it("counts a throttled attempt, and says a lost answer may have made a job", async () => {
    const { client, spans, counters } = watched();
    server.rawOnce(200, JSON.stringify({ Response: { Error: { Code: "RequestLimitExceeded", Message: "slow down" }, RequestId: "r-1" } }));
    await expect(client.send(DescribeImageAnimateJob, { JobId: "1" })).rejects.toThrow("RequestLimitExceeded");
    expect(counters["vclm.throttles"]).toBe(1);

    const tracing = recordingTracer();
    const lost = new VclmClient({
      region: "ap-singapore",
      endpoint: server.url,
      credentials: { secretId: "AKIDobserve", secretKey: SECRET_KEY },
      fetch: async () => {
        throw new TypeError("fetch failed: the connection was reset");
      },
    }).use(observe({ tracer: tracing.tracer }));
    await expect(lost.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://photos.example/a.jpg" })).rejects.toThrow();
    expect(tracing.spans[0]?.attributes).toMatchObject({ "error.type": "VclmNetworkError", "vclm.may_have_arrived": true });
    expect(tracing.spans[0]?.attributes).not.toHaveProperty("http.response.status_code");
    expect(spans.length).toBe(1);
  });

  it("never fails a call when the tracer, logger or meter throws: the Submit's JobId comes back, one job made", async () => {
    const boom = () => {
      throw new Error("the exporter is down");
    };
    const throwingSpan = { setAttributes: boom, addEvent: boom, fail: boom, end: boom, inject: boom };
    const jobsBefore = server.received.filter((r) => r.action === "SubmitImageAnimateJob").length;
    for (const hooks of [
      {
        tracer: { startSpan: boom },
        logger: { debug: boom, info: boom, warn: boom, error: boom },
        meter: { add: boom, record: boom, gauge: boom },
      },
      { tracer: { startSpan: () => throwingSpan } },
    ]) {
      const client = new VclmClient({
        region: "ap-singapore",
        endpoint: server.url,
        credentials: { secretId: "AKIDobserve", secretKey: SECRET_KEY },
      }).use(observe(hooks));
      const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://photos.example/a.jpg" });
      expect(JobId).toMatch(/^\d+$/);
      await expect(client.send(DescribeImageAnimateJob, { JobId: "404404404" })).rejects.toThrow("FailedOperation.JobNotFound");
    }
    expect(server.received.filter((r) => r.action === "SubmitImageAnimateJob").length - jobsBefore).toBe(2);
  });

  it("refuses a second observe on one client, and the first goes on watching it alone", async () => {
    const first = recordingTracer();
    const second = recordingTracer();
    const client = new VclmClient({
      region: "ap-singapore",
      endpoint: server.url,
      credentials: { secretId: "AKIDobserve", secretKey: SECRET_KEY },
    }).use(observe({ tracer: first.tracer }));
    const observer = client.state.observer;
    expect(() => client.use(observe({ tracer: second.tracer }))).toThrow("observe is already on this client");
    expect(client.state.observer).toBe(observer);
    await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://photos.example/a.jpg" });
    expect([first.spans.length, second.spans.length]).toEqual([1, 0]);
  });

  it("puts no key, token, signature, photo byte or signed URL query in a span or a log line", async () => {
    const { client, spans, lines } = watched();
    const photo = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://photos.example/a.jpg?X-Signature=abc123" });
    await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: photo }).catch(() => {}); // refused by the pre-flight check
    const everything = JSON.stringify({ spans, lines });
    for (const secret of [SECRET_KEY, TOKEN, "Signature=", "X-Signature", "abc123", photo.slice(0, 40), "TC3-HMAC"])
      expect(everything).not.toContain(secret);
  });
});

describe("makeObserver", () => {
  it("scrubs what is set on a span after it starts (attributes, events, failures), and its children still find it", () => {
    const { tracer, spans, childrenOf } = recordingTracer();
    const observer = makeObserver({ tracer });
    const span = observer.span("vclm.batch.photo");
    span.setAttributes({ "vclm.video": "https://cos.example/v.mp4?sign=secret-query" });
    span.addEvent("saved", { location: "https://cos.example/v.mp4?sign=secret-query" });
    span.fail("error", "could not read https://cos.example/v.mp4?sign=secret-query");
    observer.span("vclm.child", { parent: span }).end();
    span.end();
    expect(JSON.stringify(spans)).not.toContain("secret-query");
    expect(childrenOf(spans[0] as (typeof spans)[number]).map((child) => child.name)).toEqual(["vclm.child"]);
  });
});

describe("scrub", () => {
  it("takes out URL queries, signatures and tokens, and leaves JobIds, RequestIds and paths", () => {
    expect(scrub("see https://cos.example/v.mp4?sign=q-sign-algorithm%3Dsha1 now")).toBe("see https://cos.example/v.mp4?… now");
    expect(scrub("Authorization: TC3-HMAC-SHA256 Credential=AKID/2026/vclm/tc3_request, SignedHeaders=host, Signature=0a1b")).toBe(
      "Authorization: [signature] SignedHeaders=host, Signature=[…]",
    );
    expect(scrub(`token ${"QmFzZTY0VG9rZW4wMDAxMjM0NTY3ODlBQkNERUY".repeat(2)}`)).toBe("token […]");
    const plain = "job 1194931538865782784, RequestId 7a1d3c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e, /srv/photos/summer-party/IMG_0001.jpg";
    expect(scrub(plain)).toBe(plain);
  });
});
