import { retry } from "@vclm/retry";
import { describe, expect, it } from "vitest";
import { makePng } from "../../core/test/photos.js";
import { virtualWorld } from "../bench/virtual-time.js";
import { JobFailedError, WaitTimeoutError } from "./errors.js";
import { nextDelay } from "./schedule.js";
import { JobTracker } from "./tracker.js";
import { submitAndWait, waitForJob, watchJob } from "./wait.js";

const job = (world: ReturnType<typeof virtualWorld>, fail?: string) =>
  world.emulator.jobs.create({
    accountId: "100000000001",
    createdAt: world.now(),
    waitMs: 10_000,
    runMs: 50_000,
    templateId: "ke3",
    photo: "p",
    segment: false,
    ...(fail && { failure: { code: fail } }),
  }).id;

describe("waitForJob", () => {
  it("follows a job WAIT -> RUN -> DONE, noticing the end within 10% of its length, in far fewer calls than every second", async () => {
    const world = virtualWorld();
    const JobId = job(world);
    const seen: string[] = [];
    const done = waitForJob(world.client, JobId, { sleep: world.sleep, now: world.now, onProgress: (j) => seen.push(j.Status) });
    let finished: Awaited<typeof done> | undefined;
    done.then((answer) => (finished = answer));
    await world.run(() => finished !== undefined);
    expect(seen).toEqual(["WAIT", "RUN", "DONE"]);
    expect(finished?.ResultVideoUrl).toMatch(/\.mp4/);
    expect(world.elapsed()).toBeGreaterThanOrEqual(60_000);
    expect(world.elapsed()).toBeLessThanOrEqual(66_000); // lag <= 10% of 60 s
    // Without a prior: 1 s checks for the first 10 s, then ~10% growth: about 32 calls, where 1 s polling makes 60.
    expect(world.describes.length).toBeLessThanOrEqual(35);
  });

  it("rejects with the job's code when it fails", async () => {
    const world = virtualWorld();
    const JobId = job(world, "FailedOperation.ImageDetectFaceFailed");
    const result = waitForJob(world.client, JobId, { sleep: world.sleep, now: world.now }).catch((e) => e);
    let error: unknown;
    result.then((e) => (error = e));
    await world.run(() => error !== undefined);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).code).toBe("FailedOperation.ImageDetectFaceFailed");
  });

  it("gives up at maxWait, and a later wait with the JobId alone picks the job up again", async () => {
    const world = virtualWorld();
    const JobId = job(world);
    const startedAt = world.now();
    let outcome: unknown;
    waitForJob(world.client, JobId, { sleep: world.sleep, now: world.now, maxWait: 20_000 }).catch((e) => (outcome = e));
    await world.run(() => outcome !== undefined);
    expect(outcome).toBeInstanceOf(WaitTimeoutError);
    expect((outcome as WaitTimeoutError).lastStatus).toBe("RUN");
    let resumed: unknown;
    waitForJob(world.client, JobId, { sleep: world.sleep, now: world.now, startedAt }).then((answer) => (resumed = answer));
    await world.run(() => resumed !== undefined);
    expect(resumed).toMatchObject({ Status: "DONE" });
  });

  it("stops at once when aborted mid-wait", async () => {
    const world = virtualWorld();
    const controller = new AbortController();
    let outcome: unknown;
    waitForJob(world.client, job(world), { sleep: world.sleep, now: world.now, signal: controller.signal }).catch((e) => (outcome = e));
    await world.run(() => world.describes.length >= 2);
    controller.abort();
    await world.run(() => outcome !== undefined);
    expect((outcome as Error).name).toBe("AbortError");
  });

  it("watchJob yields each change of status once", async () => {
    const world = virtualWorld();
    const statuses: string[] = [];
    const watching = (async () => {
      for await (const answer of watchJob(world.client, job(world), { sleep: world.sleep, now: world.now })) statuses.push(answer.Status);
    })();
    let ended = false;
    watching.then(() => (ended = true));
    await world.run(() => ended);
    expect(statuses).toEqual(["WAIT", "RUN", "DONE"]);
  });
});

describe("waitForJob with transient faults", () => {
  it("leaves them to @vclm/retry and still sees the job to DONE", async () => {
    const world = virtualWorld();
    world.client.use(retry({ baseDelay: 1, throttledBaseDelay: 1, maxDelay: 5, maxAttempts: 10, budget: false }));
    world.emulator.scenarios.chaos({
      rate: 0.4,
      kinds: ["throttle", "dropConnection", "serverError"],
      actions: ["DescribeImageAnimateJob"],
      seed: 3,
    });
    let answer: { Status: string } | undefined;
    waitForJob(world.client, job(world), { sleep: world.sleep, now: world.now }).then((a) => (answer = a));
    await world.run(() => answer !== undefined);
    expect(answer?.Status).toBe("DONE");
  });
});

describe("submitAndWait", () => {
  it("takes the photo as bytes, checks and submits it, and waits for the video", async () => {
    const world = virtualWorld({ schedule: { waitMs: 2_000, runMs: 8_000 } });
    let answer: { JobId: string; Status: string } | undefined;
    submitAndWait(world.client, { TemplateId: "ke3", photo: makePng(600, 1000) }, { sleep: world.sleep, now: world.now }).then(
      (a) => (answer = a),
    );
    await world.run(() => answer !== undefined);
    expect(answer).toMatchObject({ Status: "DONE", JobId: expect.stringMatching(/^\d+$/) });
  });
});

describe("JobTracker", () => {
  it("tracks 300 jobs under 5 requests per second: never over the limit, all finished", async () => {
    const world = virtualWorld();
    const tracker = new JobTracker(world.client, { requestsPerSecond: 5, sleep: world.sleep, now: world.now });
    const ids = Array.from({ length: 300 }, () => job(world));
    let finished = 0;
    for (const id of ids) tracker.track(id).then(() => finished++);
    await world.run(() => finished === ids.length);
    expect(finished).toBe(300);
    const perSecond = new Map<number, number>();
    for (const at of world.describes)
      perSecond.set(Math.floor((at - world.start) / 1000), (perSecond.get(Math.floor((at - world.start) / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(5);
    expect(tracker.size).toBe(0);
  });
});

describe("nextDelay", () => {
  it("waits at most 10% of the time elapsed once past minDelay, never more than maxDelay, never less than half of minDelay", () => {
    for (const elapsed of [0, 500, 5_000, 60_000, 600_000, 6_000_000]) {
      for (const random of [0, 0.5, 0.999]) {
        const delay = nextDelay(elapsed, {}, () => random);
        expect(delay).toBeLessThanOrEqual(Math.max(1_000, Math.min(30_000, elapsed * 0.1)));
        expect(delay).toBeGreaterThanOrEqual(500);
      }
    }
    expect(nextDelay(2_000, { expectedDuration: 60_000 }, () => 0.5)).toBe(58_000);
  });
});
