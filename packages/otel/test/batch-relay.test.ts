// The batch and the relay on the real OpenTelemetry SDK, end to end against the emulator over HTTP:
// a batch under the app's active span makes its span, a span per photo with its Submit and its
// job's wait (the Describes) under it; a page's call through a relay, each with its own tracer
// provider, is one trace: the relay's server span is the page call's child by traceparent alone.
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { animateMany, type BatchReport, memoryJournal } from "@vclm/batch";
import { DescribeImageAnimateJob, observe, openVideo, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { createCredentialsHandler, createRelay, memoryStore } from "@vclm/relay";
import { fetchFrom } from "@vclm/tools/fetch-from";
import { makeJpeg } from "@vclm/tools/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInPage } from "../../relay/test/signed-in-page.js";
import { otel, otelTracer } from "../src/index.js";
import { childrenOf, only, registerNodeContext, type Sdk, startSdk, traceparentOf } from "./sdk.js";
import { exportedText, secretsIn } from "./secrets.js";
import { SECRET_KEY, startWorld, type World } from "./world.js";

let world: World;
beforeAll(async () => {
  registerNodeContext();
  world = await startWorld();
});
afterAll(() => world.close());

describe("a batch of three photos, one refused by the service", () => {
  let sdk: Sdk;
  let report: BatchReport;
  beforeAll(async () => {
    sdk = startSdk();
    world.running.emulator.scenarios.reset();
    const client = world.client(sdk);
    const photos = [0, 1, 2].map((i) => ({ name: `dancer-${i}.jpg`, photo: makeJpeg(600 + i, 1000) }));
    world.running.emulator.scenarios.failPhoto(
      // The emulator knows a photo by the SHA-256 of its base64.
      Buffer.from(
        await crypto.subtle.digest("SHA-256", Buffer.from(Buffer.from(photos[2]?.photo as Uint8Array).toString("base64"))),
      ).toString("hex"),
      { code: "FailedOperation.ImageDetectFaceFailed" },
    );
    const save = async ({ JobId, url, signal }: { JobId: string; url: string; signal?: AbortSignal | undefined }) => {
      const { body } = await openVideo(url, { signal });
      return { location: `memory:${JobId}`, bytes: (await new Response(body).arrayBuffer()).byteLength };
    };
    const app = sdk.tracer.startSpan("POST /batch", { kind: SpanKind.SERVER });
    report = await context.with(trace.setSpan(context.active(), app), async () =>
      animateMany(client, photos, { journal: await memoryJournal(), save, clock: world.clock }),
    );
    app.end();
  });
  afterAll(() => sdk.shutdown());

  it("puts the batch under the app's span, a span per photo under it, and each photo's Submit and wait under its photo", () => {
    expect(report.counts).toMatchObject({ saved: 2, failed: 1 });
    const spans = sdk.spans();
    const batch = only(spans, "vclm.batch");
    expect(childrenOf(spans, only(spans, "POST /batch"))).toEqual([batch]);
    const photos = childrenOf(spans, batch);
    expect(photos.map((span) => [span.name, span.attributes["vclm.photo"], span.attributes["vclm.outcome"]]).sort()).toEqual([
      ["vclm.batch.photo", "dancer-0.jpg", "saved"],
      ["vclm.batch.photo", "dancer-1.jpg", "saved"],
      ["vclm.batch.photo", "dancer-2.jpg", "failed"],
    ]);
    for (const photo of photos) {
      const under = childrenOf(spans, photo);
      expect(under.map((span) => span.name).sort()).toEqual(["vclm.SubmitImageAnimateJob", "vclm.track"]);
      const track = under.find((span) => span.name === "vclm.track") as (typeof under)[number];
      const describes = childrenOf(spans, track);
      expect(describes.length).toBeGreaterThan(0);
      expect(describes.every((span) => span.name === "vclm.DescribeImageAnimateJob" && span.kind === SpanKind.CLIENT)).toBe(true);
      expect(track.events.at(-1)?.name).toBe(photo.attributes["vclm.outcome"] === "saved" ? "DONE" : "FAIL");
      expect(photo.status.code).toBe(photo.attributes["vclm.outcome"] === "saved" ? SpanStatusCode.UNSET : SpanStatusCode.ERROR);
    }
  });

  it("exports no key, token, signature or photo byte", async () => {
    const text = await exportedText(sdk);
    expect(
      secretsIn(text, {
        "the account's SecretKey": SECRET_KEY,
        "the temporary SecretKey": world.issued.secretKey,
        "the session token": world.issued.token ?? "no token was issued",
        "a signature": "Signature=",
        "the photo's bytes": Buffer.from(makeJpeg(600, 1000)).toString("base64").slice(0, 24),
      }),
    ).toEqual([]);
  });
});

describe("a page's call through a relay, each with its own tracer provider", () => {
  it("is one trace: the relay's server span is the page call's child, by traceparent alone, and the answer says so back", async () => {
    const page = startSdk();
    const backend = startSdk();
    world.running.emulator.scenarios.reset();
    const store = memoryStore();
    const authorize = (request: Request) => (request.headers.get("x-session") === "alice" ? { id: "alice" } : undefined);
    const sts = new VclmClient({ region: "ap-singapore", endpoint: world.running.url, credentials: world.account });
    // The credentials work only from the relay's address (127.0.0.2), as a real relay's would.
    const credentials = createCredentialsHandler({ authorize, sts, store, durationSeconds: 900, bindTo: "127.0.0.2/32" });
    const relay = createRelay({
      authorize,
      store,
      target: world.running.url,
      signingHost: "127.0.0.1",
      fetch: fetchFrom("127.0.0.2"),
      tracer: otelTracer(backend.tracer),
    });
    const traceresponses: (string | null)[] = [];
    const client = signedInPage(
      { "x-session": "alice" },
      {
        credentials,
        relay: async (request) => {
          const answer = await relay(request);
          traceresponses.push(answer.headers.get("traceresponse"));
          return answer;
        },
      },
    ).use(observe(otel({ tracer: page.tracer })));

    const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo: makeJpeg(600, 1000) });
    await client.send(DescribeImageAnimateJob, { JobId });
    const calls = page.spans().filter((span) => span.kind === SpanKind.CLIENT);
    const served = backend.spans().filter((span) => span.kind === SpanKind.SERVER && span.name.startsWith("vclm.relay"));
    expect(calls.map((span) => span.name)).toEqual(["vclm.SubmitImageAnimateJob", "vclm.DescribeImageAnimateJob"]);
    expect(served.map((span) => span.name)).toEqual(["vclm.relay SubmitImageAnimateJob", "vclm.relay DescribeImageAnimateJob"]);
    served.forEach((span, at) => {
      const call = calls[at] as (typeof calls)[number];
      expect(span.spanContext().traceId).toBe(call.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
      expect(span.attributes["http.response.status_code"]).toBe(200);
      expect(traceresponses[at]).toBe(traceparentOf(span));
      expect(call.attributes["vclm.relay.traceresponse"]).toBe(traceparentOf(span));
    });
    await Promise.all([page.shutdown(), backend.shutdown()]);
  });
});
