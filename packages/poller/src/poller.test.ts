import { getEventListeners } from "node:events";
import { VclmServiceError } from "@vclm/core";
import { retry } from "@vclm/retry";
import { makePng } from "@vclm/tools/photos";
import { describe, expect, it } from "vitest";
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
    const done = waitForJob(world.client, JobId, { clock: world.clock, onProgress: (j) => seen.push(j.Status) });
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
    const result = waitForJob(world.client, JobId, { clock: world.clock }).catch((e) => e);
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
    waitForJob(world.client, JobId, { clock: world.clock, maxWait: 20_000 }).catch((e) => (outcome = e));
    await world.run(() => outcome !== undefined);
    expect(outcome).toBeInstanceOf(WaitTimeoutError);
    expect((outcome as WaitTimeoutError).lastStatus).toBe("RUN");
    let resumed: unknown;
    waitForJob(world.client, JobId, { clock: world.clock, startedAt }).then((answer) => (resumed = answer));
    await world.run(() => resumed !== undefined);
    expect(resumed).toMatchObject({ Status: "DONE" });
  });

  it("stops at once when aborted mid-wait", async () => {
    const world = virtualWorld();
    const controller = new AbortController();
    let outcome: unknown;
    waitForJob(world.client, job(world), { clock: world.clock, signal: controller.signal }).catch((e) => (outcome = e));
    await world.run(() => world.describes.length >= 2);
    controller.abort();
    await world.run(() => outcome !== undefined);
    expect((outcome as Error).name).toBe("AbortError");
  });

  it("watchJob yields each change of status once", async () => {
    const world = virtualWorld();
    const statuses: string[] = [];
    const watching = (async () => {
      for await (const answer of watchJob(world.client, job(world), { clock: world.clock })) statuses.push(answer.Status);
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
    waitForJob(world.client, job(world), { clock: world.clock }).then((a) => (answer = a));
    await world.run(() => answer !== undefined);
    expect(answer?.Status).toBe("DONE");
  });
});

describe("submitAndWait", () => {
  it("takes the photo as bytes, checks and submits it, and waits for the video", async () => {
    const world = virtualWorld({ schedule: { waitMs: 2_000, runMs: 8_000 } });
    let answer: { JobId: string; Status: string } | undefined;
    submitAndWait(world.client, { TemplateId: "ke3", photo: makePng(600, 1000) }, { clock: world.clock }).then((a) => (answer = a));
    await world.run(() => answer !== undefined);
    expect(answer).toMatchObject({ Status: "DONE", JobId: expect.stringMatching(/^\d+$/) });
  });
});

describe("JobTracker", () => {
  it("tracks 300 jobs under 5 requests per second: never over the limit, all finished", async () => {
    const world = virtualWorld();
    const tracker = new JobTracker(world.client, { requestsPerSecond: 5, clock: world.clock });
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

describe("waitForJob and JobTracker: failing checks, limits and progress", () => {
  it("waitForJob rides out a 502 and a dropped connection without @vclm/retry, and still sees DONE", async () => {
    const world = virtualWorld();
    world.emulator.scenarios.serverError(502, { count: 1, actions: ["DescribeImageAnimateJob"] });
    let answer: { Status: string } | undefined;
    waitForJob(world.client, job(world), { clock: world.clock }).then((a) => (answer = a));
    await world.run(() => world.describes.length >= 3);
    world.emulator.scenarios.dropConnection({ count: 1, actions: ["DescribeImageAnimateJob"] });
    await world.run(() => answer !== undefined);
    expect(answer?.Status).toBe("DONE");
  });

  it("waitForJob gives up at maxWait with the last transient error when every check fails", async () => {
    const world = virtualWorld();
    world.emulator.scenarios.serverError(503, { count: 1_000, actions: ["DescribeImageAnimateJob"] });
    let outcome: unknown;
    waitForJob(world.client, job(world), { clock: world.clock, maxWait: 60_000 }).catch((e) => (outcome = e));
    await world.run(() => outcome !== undefined);
    expect((outcome as Error).name).toBe("VclmResponseError");
    expect(world.elapsed()).toBeLessThanOrEqual(60_000);
    expect(world.describes.length).toBeLessThan(20); // growing pauses, not a hammering loop
  });

  it("onCheckFailed hears each failed check that will be tried again, with the count in a row", async () => {
    const world = virtualWorld();
    world.emulator.scenarios.serverError(503, { count: 3, actions: ["DescribeImageAnimateJob"] });
    const failures: number[] = [];
    let outcome: unknown;
    waitForJob(world.client, job(world), { clock: world.clock, onCheckFailed: (_, n) => failures.push(n) }).then(
      (done) => (outcome = done),
      (e) => (outcome = e),
    );
    await world.run(() => outcome !== undefined);
    expect((outcome as { Status?: string }).Status).toBe("DONE");
    expect(failures.length).toBeGreaterThan(0);
    expect(failures).toEqual(failures.map((_, i) => i + 1)); // 1, 2, ...: the count in a row
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
    const tracker = new JobTracker(world.client, { clock: world.clock, maxWait: 20_000 });
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
    waitForJob(world.client, a, { clock: world.clock, onProgress }).then(() => done++);
    new JobTracker(world.client, { clock: world.clock, onProgress }).track(b).then(() => done++);
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
      { clock: world.clock, signal: controller.signal, onSubmitted: (JobId) => (submitted = JobId) },
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

  it("a wait stopped by the service not knowing the job does not say it may still finish, nor that it is paid for", () => {
    const gone = new VclmServiceError({
      code: "FailedOperation.JobNotFound",
      message: "The task does not exist.",
      action: "DescribeImageAnimateJob",
      status: 200,
    });
    const { message } = new WaitInterruptedError("1194931538865782784", gone);
    expect(message).toMatch(/job 1194931538865782784 .*does not exist in this account and region/);
    expect(message).toContain("FailedOperation.JobNotFound");
    expect(message).not.toMatch(/may still finish|paid for/);
    expect(new WaitInterruptedError("1", new Error("aborted")).message).toMatch(
      /may still finish \(it is paid for\).*aborted\. Wait again/,
    );
  });
});

describe("one signal for many jobs", () => {
  /** Runs `body`, then the MaxListenersExceededWarnings Node emitted meanwhile (it emits them on a later tick). */
  async function maxListenersWarnings(body: () => Promise<void>): Promise<Error[]> {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      await body();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    return warnings.filter((warning) => warning.name === "MaxListenersExceededWarning");
  }

  it("JobTracker leaves no abort listener on the signal once its jobs are DONE, round after round, and Node warns of none", async () => {
    const world = virtualWorld();
    const signal = new AbortController().signal;
    const tracker = new JobTracker(world.client, { clock: world.clock });
    // 50 jobs, 5 at a time, as a batch under an account's concurrent-job limit tracks them: the
    // signal's one listener goes with the last job of each round and comes back with the next round.
    const listeners = { during: [] as number[], after: [] as number[] };
    const warnings = await maxListenersWarnings(async () => {
      let finished = 0;
      void (async () => {
        for (let round = 0; round < 10; round++) {
          const jobs = Array.from({ length: 5 }, () => tracker.track(job(world), { signal }).then(() => finished++));
          listeners.during.push(getEventListeners(signal, "abort").length);
          await Promise.all(jobs);
          listeners.after.push(getEventListeners(signal, "abort").length);
        }
      })();
      await world.run(() => finished === 50);
    });
    expect(listeners).toEqual({ during: Array(10).fill(1), after: Array(10).fill(0) });
    expect(warnings).toEqual([]);
  });

  it("JobTracker tracks 200 jobs at once under one signal with at most one abort listener on it, and Node warns of none", async () => {
    const world = virtualWorld();
    const signal = new AbortController().signal;
    let mostListeners = 0;
    const count = () => (mostListeners = Math.max(mostListeners, getEventListeners(signal, "abort").length));
    // onProgress counts the signal's listeners at every change of status, while jobs are pending.
    const tracker = new JobTracker(world.client, { clock: world.clock, onProgress: count });
    const warnings = await maxListenersWarnings(async () => {
      let finished = 0;
      for (let i = 0; i < 200; i++) tracker.track(job(world), { signal }).then(() => finished++);
      expect(tracker.size).toBe(200);
      count();
      await world.run(() => finished === 200);
    });
    expect(mostListeners).toBe(1);
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
    expect(warnings).toEqual([]);
    expect(tracker.size).toBe(0);
  });

  it("JobTracker rejects all 50 pending jobs of an aborted signal with its reason, looks at none again, and leaves no listener", async () => {
    const world = virtualWorld();
    const controller = new AbortController();
    const tracker = new JobTracker(world.client, { clock: world.clock });
    const outcomes: unknown[] = [];
    const note = (outcome: unknown) => outcomes.push(outcome);
    for (let i = 0; i < 50; i++) tracker.track(job(world), { signal: controller.signal }).then(note, note);
    await world.run(() => world.describes.length >= 100);
    expect(outcomes).toEqual([]);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    const reason = new Error("the batch was stopped");
    const abortedAt = world.now();
    controller.abort(reason);
    await world.run(() => tracker.size === 0);
    expect(outcomes).toHaveLength(50);
    for (const outcome of outcomes) expect(outcome).toBe(reason);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    expect(world.describes.filter((at) => at > abortedAt)).toEqual([]);
  });

  it("JobTracker rejects on abort when the signal has other listeners first (a batch's own)", async () => {
    const world = virtualWorld();
    const controller = new AbortController();
    controller.signal.addEventListener("abort", () => {}); // the caller's own, added first
    const tracker = new JobTracker(world.client, { clock: world.clock });
    let outcome: unknown;
    tracker.track(job(world), { signal: controller.signal }).then(
      (answer) => (outcome = answer),
      (error) => (outcome = error),
    );
    await world.run(() => world.describes.length >= 1);
    const reason = new Error("stopped");
    controller.abort(reason);
    await world.run(() => outcome !== undefined);
    expect(outcome).toBe(reason);
  });

  it("JobTracker keeps one listener per signal: aborting one signal leaves the jobs of another to finish", async () => {
    const world = virtualWorld();
    const [first, second] = [new AbortController(), new AbortController()];
    const tracker = new JobTracker(world.client, { clock: world.clock });
    const outcomes = { first: [] as unknown[], second: [] as unknown[] };
    const trackTwenty = (signal: AbortSignal, into: unknown[]) => {
      const note = (outcome: unknown) => into.push(outcome);
      for (let i = 0; i < 20; i++) tracker.track(job(world), { signal }).then(note, note);
    };
    trackTwenty(first.signal, outcomes.first);
    trackTwenty(second.signal, outcomes.second);
    await world.run(() => world.describes.length >= 40);
    expect(getEventListeners(first.signal, "abort")).toHaveLength(1);
    expect(getEventListeners(second.signal, "abort")).toHaveLength(1);
    const reason = new Error("the first batch was stopped");
    first.abort(reason);
    await world.run(() => outcomes.second.length === 20);
    expect(outcomes.first).toHaveLength(20);
    for (const outcome of outcomes.first) expect(outcome).toBe(reason);
    for (const outcome of outcomes.second) expect(outcome).toMatchObject({ Status: "DONE" });
    expect(getEventListeners(first.signal, "abort")).toHaveLength(0);
    expect(getEventListeners(second.signal, "abort")).toHaveLength(0);
  });

  it("JobTracker leaves no abort listener on the signal when a job fails, times out or cannot be looked at", async () => {
    const world = virtualWorld();
    const signal = new AbortController().signal;
    const tracker = new JobTracker(world.client, { clock: world.clock });
    const impatient = new JobTracker(world.client, { clock: world.clock, maxWait: 20_000 });
    const outcomes: unknown[] = [];
    const settled = (promise: Promise<unknown>) => promise.catch((error) => outcomes.push(error));
    settled(tracker.track(job(world, "FailedOperation.ImageDetectFaceFailed"), { signal }));
    settled(tracker.track("999999", { signal }));
    settled(impatient.track(job(world), { signal }));
    await world.run(() => outcomes.length === 3);
    expect(outcomes.map((error) => (error as Error).name).sort()).toEqual(["JobFailedError", "VclmServiceError", "WaitTimeoutError"]);
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("waitForJob and submitAndWait leave no abort listener on a signal they share", async () => {
    const world = virtualWorld({ schedule: { waitMs: 2_000, runMs: 8_000 } });
    const signal = new AbortController().signal;
    const options = { clock: world.clock, signal };
    let finished = 0;
    for (let i = 0; i < 5; i++) waitForJob(world.client, job(world), options).then(() => finished++);
    submitAndWait(world.client, { TemplateId: "ke3", photo: makePng(600, 1000) }, options).then(() => finished++);
    waitForJob(world.client, "999999", options).catch(() => finished++);
    await world.run(() => finished === 7);
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });
});

describe("maxWait counts from when the wait begins, not from the Submit", () => {
  type World = ReturnType<typeof virtualWorld>;
  interface Resumed {
    startedAt: number;
    maxWait?: number;
  }
  /** A job the emulator has had since `createdAt`, running until `endsAt`. */
  const jobBetween = (world: World, createdAt: number, endsAt: number) =>
    world.emulator.jobs.create({
      accountId: "100000000001",
      createdAt,
      waitMs: 10_000,
      runMs: endsAt - createdAt - 10_000,
      templateId: "ke3",
      photo: "p",
      segment: false,
    }).id;
  const waits = {
    waitForJob: (world: World, JobId: string, options: Resumed) => waitForJob(world.client, JobId, { clock: world.clock, ...options }),
    JobTracker: (world: World, JobId: string, { startedAt, ...options }: Resumed) =>
      new JobTracker(world.client, { clock: world.clock, ...options }).track(JobId, { startedAt }),
  };

  it.each(Object.keys(waits) as (keyof typeof waits)[])(
    "%s follows a job submitted 40 minutes ago to DONE, 5 minutes on, with the default maxWait (30 minutes)",
    async (kind) => {
      const world = virtualWorld();
      const startedAt = world.now() - 40 * 60_000;
      const JobId = jobBetween(world, startedAt, world.now() + 5 * 60_000);
      let outcome: unknown;
      waits[kind](world, JobId, { startedAt }).then(
        (answer) => (outcome = answer),
        (error) => (outcome = error),
      );
      await world.run(() => outcome !== undefined);
      expect(outcome).toMatchObject({ Status: "DONE" });
      expect(world.elapsed()).toBeGreaterThanOrEqual(5 * 60_000);
      expect(world.elapsed()).toBeLessThanOrEqual(5 * 60_000 + 30_000); // this far into a job, a check every maxDelay
    },
  );

  it.each(Object.keys(waits) as (keyof typeof waits)[])(
    "%s with maxWait 20 s gives up 20 s after it began, though the job was submitted an hour ago",
    async (kind) => {
      const world = virtualWorld();
      const startedAt = world.now() - 60 * 60_000;
      const JobId = jobBetween(world, startedAt, world.now() + 60 * 60_000);
      let outcome: unknown;
      waits[kind](world, JobId, { startedAt, maxWait: 20_000 }).catch((error) => (outcome = error));
      await world.run(() => outcome !== undefined);
      expect(outcome).toBeInstanceOf(WaitTimeoutError);
      expect((outcome as WaitTimeoutError).lastStatus).toBe("RUN");
      expect((outcome as Error).message).toContain("after 20 s");
      expect(world.elapsed()).toBeGreaterThanOrEqual(20_000);
      expect(world.elapsed()).toBeLessThan(21_000);
    },
  );
});

describe("a job submitted a while ago", () => {
  it("JobTracker looks at it at once (it may be done already), not a whole delay later", async () => {
    const world = virtualWorld();
    const startedAt = world.now() - 10 * 60_000;
    const JobId = world.emulator.jobs.create({
      accountId: "100000000001",
      createdAt: startedAt,
      waitMs: 10_000,
      runMs: 60_000,
      templateId: "ke3",
      photo: "p",
      segment: false,
    }).id;
    let answer: unknown;
    new JobTracker(world.client, { clock: world.clock }).track(JobId, { startedAt }).then((done) => (answer = done));
    await world.run(() => answer !== undefined);
    expect(answer).toMatchObject({ Status: "DONE" });
    expect(world.elapsed()).toBeLessThan(1_000);
    expect(world.describes).toHaveLength(1);
  });
});
