// A batch watched by `observe`: its span, a span per photo (its moves as events, its Submit and its
// job's wait as children), a log line per BatchEvent, the slots gauge, and nothing secret anywhere.
import { observe } from "@vclm/core";
import { toBase64 } from "@vclm/core/internal";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RecordedSpan, recordingLogger, recordingMeter, recordingTracer } from "@vclm/tools/recording";
import { describe, expect, it } from "vitest";
import type { BatchEvent, BatchPhoto } from "../src/index.js";
import { memorySave, photos, runBatch, virtualWorld, type World } from "./world.js";

const schedule = { waitMs: 20_000, runMs: 100_000 };

/** A world whose client is observed by a recording tracer, logger and meter (every gauge value kept). */
function observedWorld(world: World) {
  const recording = recordingTracer();
  const { logger, lines } = recordingLogger();
  const { meter, counters } = recordingMeter();
  const gauges: { name: string; value: number }[] = [];
  world.client.use(
    observe({ tracer: recording.tracer, logger, meter: { ...meter, gauge: (name, value) => gauges.push({ name, value }) } }),
  );
  return { ...recording, lines, counters, gauges };
}

const named = (spans: RecordedSpan[], name: string) => spans.filter((span) => span.name === name);

describe("animateMany with observe on the client", () => {
  it("makes a span for the batch and one per photo, whose events are its moves and whose children are its Submit and its job's wait", async () => {
    const world = virtualWorld({ schedule, limits: { concurrentJobs: 2 } });
    const seen = observedWorld(world);
    const events: BatchEvent[] = [];
    const report = await runBatch(world, photos(4), { onEvent: (event) => events.push(event) });
    expect(report.counts.saved).toBe(4);

    const [batch, ...others] = named(seen.spans, "vclm.batch");
    expect(others).toEqual([]);
    expect(batch).toMatchObject({
      ended: true,
      error: undefined,
      attributes: { "vclm.batch.photos": 4, "vclm.batch.saved": 4, "vclm.batch.submitted": 4, "vclm.batch.concurrent_jobs": 2 },
    });
    const photoSpans = seen.childrenOf(batch as RecordedSpan);
    expect(photoSpans.map((span) => span.attributes["vclm.photo"]).sort()).toEqual(["p0.jpg", "p1.jpg", "p2.jpg", "p3.jpg"]);
    for (const photo of photoSpans) {
      const saved = report.photos.find((line) => line.name === photo.attributes["vclm.photo"]);
      expect(photo).toMatchObject({
        name: "vclm.batch.photo",
        ended: true,
        error: undefined,
        attributes: { "vclm.job_id": saved?.JobId, "vclm.outcome": "saved", "vclm.job.status": "DONE", "vclm.video.bytes": saved?.bytes },
      });
      // Its moves, in order (a Submit the full account refused is sent again: `submitting` twice).
      const moves = photo.events.map((event) => event.name).filter((name, at, all) => name !== all[at - 1]);
      // A job checked in WAIT and next in DONE was never seen RUN (seen once in CI): `running` when it was.
      expect(moves.filter((name) => name !== "running")).toEqual(["submitting", "submitted", "saving", "saved"]);
      if (moves.includes("running")) {
        expect(moves.indexOf("running")).toBe(2);
        expect(photo.events.find((event) => event.name === "running")?.attributes).toEqual({
          "vclm.job_id": saved?.JobId,
          "vclm.job.status": "RUN",
        });
      }
      // Its Submits (one was refused as the account was full, for some) and its job's wait, whose children are the Describes.
      const children = seen.childrenOf(photo);
      const submits = children.filter((span) => span.name === "vclm.SubmitImageAnimateJob");
      expect(submits.at(-1)?.attributes).toMatchObject({ "vclm.job_id": saved?.JobId, "http.response.status_code": 200 });
      const [track, ...more] = children.filter((span) => span.name === "vclm.track");
      expect(more).toEqual([]);
      expect(track?.attributes["vclm.job_id"]).toBe(saved?.JobId);
      const describes = seen.childrenOf(track as RecordedSpan);
      expect(describes.length).toBeGreaterThan(0);
      expect(describes.every((span) => span.name === "vclm.DescribeImageAnimateJob" && span.traceId === batch?.traceId)).toBe(true);
      expect(children.length).toBe(submits.length + 1);
    }
    // The account was full once at least: a refused Submit is a child of its photo, failed as JobNumExceed.
    expect(named(seen.spans, "vclm.SubmitImageAnimateJob").filter((span) => span.error).length).toBeGreaterThan(0);
    expect(events.find((event) => event.type === "limit")).toBeDefined();
    expect(batch?.events.map((event) => event.name)).toContain("limit");

    // A log line per event, in order; the slots held rose to the limit and one more (the Submit the
    // full account refused held one until its answer), and ended at none.
    const logged = seen.lines.filter((line) => line.event === "vclm.batch");
    expect(logged.map((line) => line.type)).toEqual(events.map((event) => event.type));
    expect(logged.every((line) => line.level === "info")).toBe(true);
    expect(logged.find((line) => line.type === "saved")).toMatchObject({
      photo: expect.stringMatching(/^p\d\.jpg$/),
      jobId: expect.any(String),
    });
    const slots = seen.gauges.filter((gauge) => gauge.name === "vclm.slots.in_use").map((gauge) => gauge.value);
    expect(Math.max(...slots)).toBe(3);
    expect(slots.slice(slots.indexOf(3))).toContain(2);
    expect(slots.at(-1)).toBe(0);
  });

  it("a photo's span fails with its outcome: a job that failed, a photo refused; problems are logged as warnings", async () => {
    const world = virtualWorld({ schedule });
    world.emulator.scenarios.failNextJob({ code: "FailedOperation.ImageDetectFaceFailed", message: "no face" });
    const seen = observedWorld(world);
    const list: BatchPhoto[] = [...photos(1), { name: "notes.txt", photo: new TextEncoder().encode("not a photo") }];
    const report = await runBatch(world, list);
    expect(report.photos.map((photo) => photo.outcome)).toEqual(["failed", "refused"]);
    const [failed, refused] = ["p0.jpg", "notes.txt"].map((name) =>
      seen.spans.find((span) => span.name === "vclm.batch.photo" && span.attributes["vclm.photo"] === name),
    );
    expect(failed).toMatchObject({
      ended: true,
      attributes: { "vclm.outcome": "failed", "vclm.job.status": "FAIL", "vclm.job_id": report.photos[0]?.JobId },
      error: { type: "FailedOperation.ImageDetectFaceFailed", message: "no face" },
    });
    expect(failed?.events.at(-1)).toEqual({
      name: "failed",
      attributes: {
        "vclm.job_id": report.photos[0]?.JobId,
        "vclm.job.status": "FAIL",
        "vclm.error_code": "FailedOperation.ImageDetectFaceFailed",
      },
    });
    expect(refused).toMatchObject({ ended: true, attributes: { "vclm.outcome": "refused" }, error: { type: expect.any(String) } });
    expect(refused?.attributes["vclm.job_id"]).toBeUndefined();
    const warned = seen.lines.filter((line) => line.event === "vclm.batch" && line.level === "warn");
    expect(warned.map((line) => line.type).sort()).toEqual(["failed", "refused"]);
    expect(warned.find((line) => line.type === "failed")).toMatchObject({
      code: "FailedOperation.ImageDetectFaceFailed",
      msg: expect.stringMatching(/^p0\.jpg: failed \(job \d+\): no face$/),
    });
  });

  it("the batch's span is a child of the span given as parent, and fails when the batch is stopped", async () => {
    const world = virtualWorld({ schedule });
    const seen = observedWorld(world);
    const nightly = seen.tracer.startSpan("nightly", {});
    const stop = new AbortController();
    await expect(
      runBatch(world, photos(2), {
        parent: nightly,
        signal: stop.signal,
        onEvent: (event) => event.type === "submitted" && stop.abort(new Error("stopped by the test")),
      }),
    ).rejects.toThrow("stopped by the test");
    const [root] = seen.spans;
    const [batch] = named(seen.spans, "vclm.batch");
    expect(batch?.parentId).toBe(root?.spanId);
    expect(batch).toMatchObject({ ended: true, error: { type: "BatchInterruptedError" }, attributes: { "vclm.batch.error": 2 } });
    // Every photo's span ended, with its outcome.
    expect(named(seen.spans, "vclm.batch.photo").every((span) => span.ended && span.attributes["vclm.outcome"] === "error")).toBe(true);
  });

  it("puts no key, token, signature, photo bytes or signed URL query in any span or log line", async () => {
    const world = virtualWorld({ schedule });
    const seen = observedWorld(world);
    const { save } = memorySave(world);
    const urls: string[] = [];
    // A save that fails naming the video's signed URL, query and all: the outcome's message has it, the span must not.
    const leaky: typeof save = async (video) => {
      urls.push(video.url);
      throw Object.assign(new Error(`GET ${video.url} answered 404`), { status: 404 });
    };
    const list = photos(2);
    const report = await runBatch(world, list, { save: leaky });
    expect(report.photos.every((photo) => photo.outcome === "error" && photo.message?.includes("?"))).toBe(true);
    const queries = urls.map((url) => new URL(url).search).filter(Boolean);
    expect(queries.length).toBeGreaterThan(0);
    const written = JSON.stringify({ spans: seen.spans, lines: seen.lines });
    expect(written).toContain("answered 404"); // the reason is there, without the query
    for (const secret of [
      DEMO_ACCOUNT.secretKey,
      "Signature=",
      "TC3-HMAC-SHA256",
      ...queries.map((query) => query.slice(1)),
      ...list.map(({ photo }) => toBase64(photo as Uint8Array).slice(0, 40)),
    ])
      expect(written).not.toContain(secret);
  });
});
