// Submit and wait under faults, end to end: the emulator over HTTP throttles the Submit once, answers
// the first Describe with a 502 and loses the answer to the next; @vclm/retry sends each again. The
// real OpenTelemetry SDK's in-memory exporters must then hold the app's span with the Submit and the
// wait under it, the Describes under the wait, the retries on the calls that were sent again, the
// trace context the emulator received, and the counts; a Submit whose answer was lost is a failed
// span that may have made a job, never sent again.
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { type JobProgress, submitAndWait } from "@vclm/poller";
import { makeJpeg } from "@vclm/tools/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childrenOf, only, registerNodeContext, type Sdk, startSdk, total, traceparentOf } from "./sdk.js";
import { exportedText, secretsIn } from "./secrets.js";
import { SECRET_KEY, startWorld, type World } from "./world.js";

const SUBMIT = "SubmitImageAnimateJob";
const DESCRIBE = "DescribeImageAnimateJob";
const photo = makeJpeg(400, 600);

/** What must never be in a span or a metric. */
const secrets = (videoUrl?: string) => ({
  "the account's SecretKey": SECRET_KEY,
  "the temporary SecretKey": world.issued.secretKey,
  "the session token": world.issued.token ?? "no token was issued",
  "a TC3 Authorization header": "TC3-HMAC-SHA256",
  "a signature": "Signature=",
  "the photo's bytes": Buffer.from(photo).toString("base64").slice(0, 24),
  ...(videoUrl && { "the video link's query": new URL(videoUrl).search.slice(1), "the video link's signature": "signature=" }),
});

let world: World;
beforeAll(async () => {
  registerNodeContext();
  world = await startWorld();
});
afterAll(() => world.close());

describe("submitAndWait throttled, answered 502 and its answer lost", () => {
  let sdk: Sdk;
  let job: JobProgress;
  let spans: ReadableSpan[];
  beforeAll(async () => {
    sdk = startSdk();
    const { scenarios } = world.running.emulator;
    scenarios.reset();
    // Every Submit is throttled until the first retry is decided: throttled once.
    scenarios.chaos({ rate: 1, kinds: ["throttle"], actions: [SUBMIT] });
    scenarios.serverError(502, { actions: [DESCRIBE] }).loseAnswer({ actions: [DESCRIBE] });
    const client = world.client(sdk, () => scenarios.chaos({ rate: 0 }));
    world.received.length = 0;

    // The app's own span, active as the app's request handler would have it: no `parent` given.
    const request = sdk.tracer.startSpan("POST /animate", { kind: SpanKind.SERVER });
    job = await context.with(trace.setSpan(context.active(), request), () =>
      submitAndWait(client, { TemplateId: "ke3", photo }, { clock: world.clock }),
    );
    request.end();
    spans = sdk.spans();
  });
  afterAll(() => sdk.shutdown());

  it("puts the Submit and the wait under the app's active span, and every Describe under the wait", () => {
    const request = only(spans, "POST /animate");
    expect(childrenOf(spans, request).map((span) => span.name)).toEqual([`vclm.${SUBMIT}`, "vclm.wait"]);
    const wait = only(spans, "vclm.wait");
    const describes = spans.filter((span) => span.name === `vclm.${DESCRIBE}`);
    expect(describes.length).toBeGreaterThanOrEqual(3); // WAIT, RUN, DONE at least
    expect(childrenOf(spans, wait)).toEqual(describes);
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([request.spanContext().traceId]));
  });

  it("gives the Submit its conventional attributes, the retry's count and its event", () => {
    const submit = only(spans, `vclm.${SUBMIT}`);
    expect(submit.kind).toBe(SpanKind.CLIENT);
    expect(submit.status.code).toBe(SpanStatusCode.UNSET);
    expect(submit.attributes).toEqual({
      "cloud.provider": "tencent_cloud",
      "cloud.region": "ap-singapore",
      "server.address": "127.0.0.1",
      "server.port": Number(new URL(world.running.url).port),
      "http.request.method": "POST",
      "http.response.status_code": 200,
      "http.request.resend_count": 1,
      "vclm.action": SUBMIT,
      "vclm.template_id": "ke3",
      "vclm.job_id": job.JobId,
      "vclm.request_id": expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(submit.events.map(({ name, attributes }) => ({ name, attributes }))).toEqual([
      {
        name: "vclm.retry",
        attributes: {
          "vclm.attempt": 1,
          "vclm.retry.delay_ms": expect.any(Number),
          "vclm.retry.reason": "throttled",
          "error.type": "RequestLimitExceeded",
        },
      },
    ]);
  });

  it("makes the wait's events the job's statuses, and gives the Describe sent three times its two retries", () => {
    const wait = only(spans, "vclm.wait");
    expect(wait.kind).toBe(SpanKind.INTERNAL);
    expect(wait.events.map((event) => event.name)).toEqual(["WAIT", "RUN", "DONE"]);
    expect(wait.attributes).toEqual({ "vclm.job_id": job.JobId, "vclm.job.status": "DONE" });

    const [first, ...others] = childrenOf(spans, wait);
    expect(first?.attributes).toMatchObject({
      "http.request.resend_count": 2,
      "http.response.status_code": 200,
      "vclm.job.status": "WAIT",
    });
    const retries = first?.events.map(({ name, attributes = {} }) => [name, attributes["vclm.retry.reason"], attributes["error.type"]]);
    expect(retries).toEqual([
      ["vclm.retry", "transient", "VclmResponseError"], // the 502
      ["vclm.retry", "transient", "VclmNetworkError"], // the answer lost
    ]);
    for (const other of others) {
      expect(other.attributes).not.toHaveProperty("http.request.resend_count");
      expect(other.events).toEqual([]);
    }
    expect(others.at(-1)?.attributes).toMatchObject({ "vclm.job_id": job.JobId, "vclm.job.status": "DONE" });
  });

  it("sends each attempt with its call span's traceparent, as the emulator received it", () => {
    const calls = spans.filter((span) => span.kind === SpanKind.CLIENT);
    const vclm = world.received.filter(({ action }) => action === SUBMIT || action === DESCRIBE);
    expect(vclm.length).toBe(calls.length + 3); // the throttled Submit, the 502, the lost answer
    for (const call of calls) {
      const attempts = Number(call.attributes["http.request.resend_count"] ?? 0) + 1;
      const sent = vclm.filter(({ traceparent }) => traceparent === traceparentOf(call));
      expect(sent).toEqual(Array(attempts).fill({ action: call.attributes["vclm.action"], traceparent: traceparentOf(call) }));
    }
  });

  it("counts the Submit, the Describes, the retries and the throttle, and each call's duration", async () => {
    const all = await sdk.metrics();
    const describes = spans.filter((span) => span.name === `vclm.${DESCRIBE}`).length;
    expect(total(all, "vclm.submits")).toBe(1);
    expect(total(all, "vclm.describes")).toBe(describes);
    expect(total(all, "vclm.retries")).toBe(3);
    expect(total(all, "vclm.throttles")).toBe(1);
    expect(total(all, "vclm.call.duration")).toBe(1 + describes);
  });

  it("exports no key, token, signature, photo byte or video link query", async () => {
    const text = await exportedText(sdk);
    expect(text).toContain(job.JobId); // what was exported is all there
    expect(job.ResultVideoUrl).toContain("signature=");
    expect(world.issued.token).toBeTruthy(); // the client signs with a session token
    expect(secretsIn(text, secrets(job.ResultVideoUrl))).toEqual([]);
  });
});

describe.each([
  ["whose answer was lost", () => world.running.emulator.scenarios.loseAnswer({ actions: [SUBMIT] })],
  ["answered 503", () => world.running.emulator.scenarios.serverError(503, { actions: [SUBMIT] })],
])("a Submit %s", (_, fault) => {
  it("is a failed span that may have made a job, sent once, with no wait", async () => {
    const sdk = startSdk();
    world.running.emulator.scenarios.reset();
    fault();
    world.received.length = 0;
    const client = world.client(sdk);
    const error = await submitAndWait(client, { TemplateId: "ke3", photo }, { clock: world.clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);

    const spans = sdk.spans();
    expect(spans.map((span) => span.name)).toEqual([`vclm.${SUBMIT}`]);
    const [submit] = spans;
    expect(submit?.status).toMatchObject({ code: SpanStatusCode.ERROR, message: expect.any(String) });
    expect(submit?.attributes).toMatchObject({ "vclm.may_have_arrived": true, "error.type": expect.any(String) });
    expect(submit?.attributes).not.toHaveProperty("http.request.resend_count");
    expect(submit?.events).toEqual([]);
    expect(world.received.filter(({ action }) => action === SUBMIT)).toHaveLength(1);
    const all = await sdk.metrics();
    expect(total(all, "vclm.submits")).toBe(1);
    expect(all.find((data) => data.descriptor.name === "vclm.retries")).toBeUndefined();
    expect(secretsIn(await exportedText(sdk), secrets())).toEqual([]);
    await sdk.shutdown();
  });
});

describe("a job that fails", () => {
  it("fails the wait's span with the job's code, its last event FAIL with the code", async () => {
    const sdk = startSdk();
    world.running.emulator.scenarios.reset().failNextJob({ code: "FailedOperation.ImageDetectFaceFailed" });
    const error = await submitAndWait(world.client(sdk), { TemplateId: "ke3", photo }, { clock: world.clock }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "JobFailedError", code: "FailedOperation.ImageDetectFaceFailed" });

    const wait = only(sdk.spans(), "vclm.wait");
    expect(wait.status).toEqual({ code: SpanStatusCode.ERROR, message: expect.stringContaining("FailedOperation.ImageDetectFaceFailed") });
    expect(wait.attributes).toMatchObject({ "error.type": "FailedOperation.ImageDetectFaceFailed", "vclm.job.status": "FAIL" });
    expect(wait.events.at(-1)).toMatchObject({ name: "FAIL", attributes: { "vclm.error_code": "FailedOperation.ImageDetectFaceFailed" } });
    await sdk.shutdown();
  });
});
