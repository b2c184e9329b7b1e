// The poller with `observe` on its client, on virtual time against the emulator, recorded by the
// recording tracer, logger and meter: a span per wait (and per tracked job) whose events are the
// job's statuses, the Describes as its children, retries on them, and the wait's end.
import { observe } from "@vclm/core";
import { retry } from "@vclm/retry";
import { recordingLogger, recordingMeter, recordingTracer } from "@vclm/tools/recording";
import { describe, expect, it } from "vitest";
import { virtualWorld } from "../bench/virtual-time.js";
import { JobFailedError } from "./errors.js";
import { JobTracker } from "./tracker.js";
import { waitForJob, watchJob } from "./wait.js";

function observedWorld() {
  const world = virtualWorld();
  const tracing = recordingTracer();
  const logging = recordingLogger();
  const metering = recordingMeter();
  // Retries on real time, a few ms: the virtual clock stands still while a call is in flight.
  world.client.use(retry({ baseDelay: 1, maxDelay: 5, budget: false })).use(observe({ ...tracing, ...logging, ...metering }));
  const job = (failure?: string) =>
    world.emulator.jobs.create({
      accountId: "100000000001",
      createdAt: world.now(),
      waitMs: 5_000,
      runMs: 20_000,
      templateId: "ke3",
      photo: "p",
      segment: false,
      ...(failure && { failure: { code: failure } }),
    }).id;
  return { world, job, ...tracing, ...logging, ...metering };
}

/** Runs a promise to its end on the world's virtual clock. */
async function settle<T>(world: ReturnType<typeof virtualWorld>, promise: Promise<T>): Promise<T | unknown> {
  let outcome: { value: T | unknown } | undefined;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { value: error }),
  );
  await world.run(() => outcome !== undefined);
  return outcome?.value;
}

describe("waiting, observed", () => {
  it("makes a vclm.wait span under the caller's, its events WAIT, RUN, DONE, and every Describe its child", async () => {
    const { world, job, tracer, spans, childrenOf, lines } = observedWorld();
    const JobId = job();
    const mine = tracer.startSpan("my job", {});
    await settle(world, waitForJob(world.client, JobId, { clock: world.clock, parent: mine }));
    mine.end();

    const [root] = spans;
    const [wait, ...others] = childrenOf(root as (typeof spans)[number]);
    expect(others).toEqual([]);
    expect(wait).toMatchObject({
      name: "vclm.wait",
      ended: true,
      error: undefined,
      attributes: { "vclm.job_id": JobId, "vclm.job.status": "DONE" },
    });
    expect(wait?.events.map((event) => event.name)).toEqual(["WAIT", "RUN", "DONE"]);
    const checks = childrenOf(wait as (typeof spans)[number]);
    expect(checks.length).toBe(world.describes.length);
    expect(new Set(checks.map((span) => span.name))).toEqual(new Set(["vclm.DescribeImageAnimateJob"]));
    expect(checks.every((span) => span.kind === "client" && span.ended)).toBe(true);
    expect(lines.filter((line) => line.event === "vclm.job").map((line) => line.status)).toEqual(["WAIT", "RUN", "DONE"]);
  });

  it("fails the wait's span with the job's code when the job fails", async () => {
    const { world, job, spans } = observedWorld();
    const JobId = job("FailedOperation.ImageDetectFaceFailed");
    expect(await settle(world, waitForJob(world.client, JobId, { clock: world.clock }))).toBeInstanceOf(JobFailedError);
    const wait = spans.find((span) => span.name === "vclm.wait");
    expect(wait?.error?.type).toBe("FailedOperation.ImageDetectFaceFailed");
    expect(wait?.events.at(-1)).toEqual({ name: "FAIL", attributes: { "vclm.error_code": "FailedOperation.ImageDetectFaceFailed" } });
  });

  it("ends the wait's span, not failed, when the caller stops iterating", async () => {
    const { world, job, spans } = observedWorld();
    const JobId = job();
    const firstOnly = (async () => {
      for await (const answer of watchJob(world.client, JobId, { clock: world.clock })) return answer.Status;
    })();
    expect(await settle(world, firstOnly)).toBe("WAIT");
    expect(spans.find((span) => span.name === "vclm.wait")).toMatchObject({ ended: true, error: undefined });
  });

  it("shows a retried Describe: resend count, a vclm.retry event, a retry log line and counts", async () => {
    const { world, job, spans, lines, counters } = observedWorld();
    const JobId = job();
    world.emulator.scenarios.serverError(503, { count: 1, actions: ["DescribeImageAnimateJob"] });
    await settle(world, waitForJob(world.client, JobId, { clock: world.clock }));
    const retried = spans.filter((span) => span.attributes["http.request.resend_count"] === 1);
    expect(retried).toHaveLength(1);
    expect(retried[0]?.events).toEqual([
      {
        name: "vclm.retry",
        attributes: {
          "vclm.attempt": 1,
          "vclm.retry.delay_ms": expect.any(Number),
          "vclm.retry.reason": "transient",
          "error.type": "VclmResponseError",
        },
      },
    ]);
    expect(lines.filter((line) => line.event === "vclm.retry")).toEqual([
      expect.objectContaining({ level: "info", action: "DescribeImageAnimateJob", attempt: 1, reason: "transient" }),
    ]);
    expect(counters["vclm.retries"]).toBe(1);
    expect(counters["vclm.describes"]).toBe(world.describes.length - 1); // one call, two attempts
  });
});

describe("JobTracker, observed", () => {
  it("makes a vclm.track span per job under its caller's span, each with its own Describes", async () => {
    const { world, job, tracer, spans, childrenOf } = observedWorld();
    const tracker = new JobTracker(world.client, { clock: world.clock });
    const batch = tracer.startSpan("my batch", {});
    const ids = [job(), job("FailedOperation.DriverFailed")];
    await settle(world, Promise.allSettled(ids.map((JobId) => tracker.track(JobId, { parent: batch }))));
    const tracks = childrenOf(spans[0] as (typeof spans)[number]);
    expect(tracks.map((span) => [span.name, span.attributes["vclm.job_id"], span.error?.type])).toEqual([
      ["vclm.track", ids[0], undefined],
      ["vclm.track", ids[1], "FailedOperation.DriverFailed"],
    ]);
    for (const track of tracks) {
      expect(track.ended).toBe(true);
      const checks = childrenOf(track);
      expect(checks.length).toBeGreaterThan(1);
      expect(checks.every((span) => span.attributes["vclm.job_id"] === track.attributes["vclm.job_id"])).toBe(true);
    }
  });
});
