import { retry } from "@vclm/retry";
import { describe, expect, it } from "vitest";
import { makePng } from "../../core/test/photos.js";
import { virtualWorld } from "../bench/virtual-time.js";
import { JobFailedError, WaitInterruptedError, WaitTimeoutError } from "./errors.js";
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

describe("review defects", () => {
  it("waitForJob rides out a 502 and a dropped connection without @vclm/retry, and still sees DONE", async () => {
    const world = virtualWorld();
    world.emulator.scenarios.serverError(502, { count: 1, actions: ["DescribeImageAnimateJob"] });
    let answer: { Status: string } | undefined;
    waitForJob(world.client, job(world), { sleep: world.sleep, now: world.now }).then((a) => (answer = a));
    await world.run(() => world.describes.length >= 3);
    world.emulator.scenarios.dropConnection({ count: 1, actions: ["DescribeImageAnimateJob"] });
    await world.run(() => answer !== undefined);
    expect(answer?.Status).toBe("DONE");
  });

  it("waitForJob gives up at maxWait with the last transient error when every check fails", async () => {
    const world = virtualWorld();
    world.emulator.scenarios.serverError(503, { count: 1_000, actions: ["DescribeImageAnimateJob"] });
    let outcome: unknown;
    waitForJob(world.client, job(world), { sleep: world.sleep, now: world.now, maxWait: 60_000 }).catch((e) => (outcome = e));
    await world.run(() => outcome !== undefined);
    expect((outcome as Error).name).toBe("VclmResponseError");
    expect(world.elapsed()).toBeLessThanOrEqual(60_000);
    expect(world.describes.length).toBeLessThan(20); // growing pauses, not a hammering loop
  });

  it.each([Infinity, 0, Number.NaN, -1])("JobTracker refuses requestsPerSecond %s instead of locking the process", (requestsPerSecond) => {
    const world = virtualWorld();
    expect(() => new JobTracker(world.client, { requestsPerSecond })).toThrow(/requestsPerSecond must be a positive, finite number/);
  });

  it("refuses nonsense delays for a single wait too", async () => {
    const world = virtualWorld();
    await expect(waitForJob(world.client, "1", { minDelay: 0 })).rejects.toThrow(/minDelay must be a positive number/);
  });

  it("JobTracker gives up at maxWait even while every check is throttled", async () => {
    const world = virtualWorld();
    world.emulator.scenarios.chaos({ rate: 1, kinds: ["throttle"], actions: ["DescribeImageAnimateJob"] });
    const tracker = new JobTracker(world.client, { sleep: world.sleep, now: world.now, maxWait: 20_000 });
    let outcome: unknown;
    tracker.track(job(world)).catch((e) => (outcome = e));
    await world.run(() => outcome !== undefined);
    expect(outcome).toBeInstanceOf(WaitTimeoutError);
    expect(world.elapsed()).toBeLessThan(2 * 20_000);
    expect(tracker.size).toBe(0);
  });

  it("JobTracker and waitForJob report progress in one shape, with the JobId", async () => {
    const world = virtualWorld();
    const seen: { JobId: string; Status: string }[] = [];
    const onProgress = (progress: { JobId: string; Status: string }) => seen.push({ JobId: progress.JobId, Status: progress.Status });
    const [a, b] = [job(world), job(world)];
    let done = 0;
    waitForJob(world.client, a, { sleep: world.sleep, now: world.now, onProgress }).then(() => done++);
    new JobTracker(world.client, { sleep: world.sleep, now: world.now, onProgress }).track(b).then(() => done++);
    await world.run(() => done === 2);
    for (const id of [a, b]) expect(seen.filter((s) => s.JobId === id).map((s) => s.Status)).toEqual(["WAIT", "RUN", "DONE"]);
  });

  it("submitAndWait hands over the JobId before waiting, and an abort rejects with it", async () => {
    const world = virtualWorld();
    const controller = new AbortController();
    let submitted: string | undefined;
    let outcome: unknown;
    submitAndWait(
      world.client,
      { TemplateId: "ke3", photo: makePng(600, 1000) },
      { sleep: world.sleep, now: world.now, signal: controller.signal, onSubmitted: (JobId) => (submitted = JobId) },
    ).catch((e) => (outcome = e));
    await world.run(() => world.describes.length >= 1);
    expect(submitted).toMatch(/^\d+$/);
    controller.abort();
    await world.run(() => outcome !== undefined);
    expect(outcome).toBeInstanceOf(WaitInterruptedError);
    expect((outcome as WaitInterruptedError).jobId).toBe(submitted);
    expect(((outcome as WaitInterruptedError).cause as Error).name).toBe("AbortError");
    expect((outcome as Error).message).toContain(`job ${submitted} was submitted`);
  });
});
