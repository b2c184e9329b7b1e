// animate() end to end over real loopback HTTP against the emulator, with its faults: what a user
// of the one call gets, and what it never does (pay twice, send a bad photo, lose the JobId).
import { readFileSync } from "node:fs";
import { VclmNetworkError, VclmPhotoError, VclmValidationError, VideoDownloadError } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { JobFailedError, WaitInterruptedError } from "@vclm/poller";
import { makePng } from "@vclm/tools/photos";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { animate, resume } from "./animate.js";

const dancer = new Uint8Array(readFileSync(new URL("../../../../samples/dancer.jpg", import.meta.url)));
const credentials = { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey };
let running: RunningEmulator;
let options: { endpoint: string; credentials: typeof credentials };
const jobCount = () => [...running.emulator.jobs.all()].length;

beforeAll(async () => {
  running = await startEmulator({ schedule: { waitMs: 200, runMs: 300 } });
  options = { endpoint: running.url, credentials };
});
afterEach(() => running.emulator.scenarios.reset());
afterAll(() => running.close());

describe("animate", () => {
  it("submits, reports WAIT, RUN, DONE, and resolves to a video to download or stream", async () => {
    const statuses: string[] = [];
    let submitted: string | undefined;
    const video = await animate(dancer, {
      ...options,
      template: "tuziwu",
      onSubmitted: (JobId) => (submitted = JobId),
      onProgress: (job) => statuses.push(job.Status),
    });
    expect(video.jobId).toBe(submitted);
    expect(video.template).toBe("tuziwu");
    expect(statuses.at(-1)).toBe("DONE");
    expect(statuses[0]).toBe("WAIT");
    // The emulator's link names its expiry: 24 hours on.
    expect(Math.abs(video.expiresAt.getTime() - (Date.now() + 24 * 3_600_000))).toBeLessThan(60_000);
    const bytes = await video.download();
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe("ftyp");
    const streamed = new Uint8Array(await new Response(await video.stream()).arrayBuffer());
    expect(streamed).toEqual(bytes);
  });

  it("takes a Blob, an ArrayBuffer and an ImageUrl (a URL or a string that is one), each sent as what it is", async () => {
    const photo = new Uint8Array(makePng(600, 1000));
    const photoOf = (jobId: string) => running.emulator.jobs.find(jobId)?.photo;
    const asBytes = await Promise.all(
      [photo, new Blob([photo]), photo.buffer].map(async (given) => photoOf((await animate(given as never, options)).jobId)),
    );
    // The same bytes however given: one photo, and not any other one.
    expect(new Set(asBytes).size).toBe(1);
    expect(asBytes[0]).not.toBe(photoOf((await animate(dancer, options)).jobId));
    for (const url of [new URL("https://example.com/a.jpg"), "https://example.com/b.jpg"])
      expect(photoOf((await animate(url, options)).jobId)).toBe(String(url)); // sent as ImageUrl
  });

  it("rides out throttled Submits with one job (a Submit is retried only when it surely did not arrive)", async () => {
    const before = jobCount();
    // Seed 6: the first Submit is throttled, the second goes through.
    running.emulator.scenarios.chaos({ rate: 0.6, kinds: ["throttle"], actions: ["SubmitImageAnimateJob"], seed: 6 });
    const retried: string[] = [];
    await animate(dancer, { ...options, retry: { onRetry: (event) => retried.push(event.reason) } });
    expect(jobCount() - before).toBe(1);
    expect(retried.length).toBeGreaterThan(0);
  });

  it("rides out 5xx, throttling, dropped connections and lost answers of Describe", async () => {
    // Seed 19: the first Describe meets a dropped connection, the second a throttle.
    running.emulator.scenarios.chaos({ rate: 0.5, actions: ["DescribeImageAnimateJob"], seed: 19 });
    const retried: string[] = [];
    const video = await animate(dancer, { ...options, retry: { onRetry: (event) => retried.push(event.reason) } });
    expect(new Set(retried).size).toBeGreaterThan(1); // more than one kind of fault met
    expect((await video.download()).byteLength).toBeGreaterThan(1000);
  });

  it("never sends a Submit twice when its answer is lost: the error says it may exist", async () => {
    const before = jobCount();
    running.emulator.scenarios.loseAnswer({ count: 1, actions: ["SubmitImageAnimateJob"] });
    const error = await animate(dancer, options).catch((e) => e);
    expect(error).toBeInstanceOf(VclmNetworkError);
    expect(jobCount() - before).toBe(1); // processed once, not resent
  });

  it("does not retry with retry: false", async () => {
    running.emulator.scenarios.chaos({ rate: 1, kinds: ["throttle"], actions: ["SubmitImageAnimateJob"] });
    const before = jobCount();
    await expect(animate(dancer, { ...options, retry: false })).rejects.toMatchObject({ code: "RequestLimitExceeded" });
    expect(jobCount()).toBe(before);
  });

  it("refuses a photo the service would refuse, and bad options, before anything is sent", async () => {
    const before = jobCount();
    const square = await animate(makePng(800, 800), options).catch((e) => e);
    expect(square).toBeInstanceOf(VclmPhotoError);
    const typo = await animate(dancer, { ...options, templte: "ke3" } as never).catch((e) => e);
    expect(typo).toBeInstanceOf(VclmValidationError);
    expect(typo.message).toContain("did you mean template?");
    const template = await animate(dancer, { ...options, template: "kemusan" as never }).catch((e) => e);
    expect(template.message).toMatch(/template must be one of ke3, .*tuziwu/);
    const path = await animate("dancer.jpg", options).catch((e) => e);
    expect(path).toBeInstanceOf(VclmValidationError);
    expect(path.message).toContain("vclm/node");
    expect(jobCount()).toBe(before);
  });

  it("reads VCLM_ENDPOINT and VCLM_REGION from env (a Worker's env, or the process's), naming a bad one", async () => {
    const env = {
      VCLM_ENDPOINT: running.url,
      TENCENTCLOUD_SECRET_ID: credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: credentials.secretKey,
    };
    expect((await animate(dancer, { env })).jobId).toMatch(/^\d+$/);
    const bad = await animate(dancer, { env: { ...env, VCLM_ENDPOINT: "localhost:8080" } }).catch((e) => e);
    expect(bad).toBeInstanceOf(VclmValidationError);
    expect(bad.message).toContain("VCLM_ENDPOINT");
    expect(bad.message).toContain("did you mean http://localhost:8080?");
    const half = await animate(dancer, { env: { VCLM_ENDPOINT: running.url, TENCENTCLOUD_SECRET_KEY: "x" } }).catch((e) => e);
    expect(half.message).toMatch(/TENCENTCLOUD_SECRET_ID is not set in the env object given .*: set it/);
    const timeout = await animate(dancer, { ...options, timeout: 1000 } as never).catch((e) => e);
    expect(timeout.message).toContain("AbortSignal.timeout(ms)");
    const region = await animate(dancer, { env: { ...env, VCLM_REGION: "Singapore" } }).catch((e) => e);
    expect(region.message).toContain("VCLM_REGION");
    process.env.VCLM_ENDPOINT = running.url;
    try {
      expect((await animate(dancer, { credentials })).jobId).toMatch(/^\d+$/);
    } finally {
      delete process.env.VCLM_ENDPOINT;
    }
  });

  it("after the Submit, every rejection carries the JobId: a failed job, an abort", async () => {
    running.emulator.scenarios.failNextJob({ code: "FailedOperation.DetectNoFace" });
    const failed = await animate(dancer, options).catch((e) => e);
    expect(failed).toBeInstanceOf(JobFailedError);
    expect(failed.jobId).toMatch(/^\d+$/);
    const stop = new AbortController();
    const aborted = await animate(dancer, { ...options, signal: stop.signal, onSubmitted: () => stop.abort() }).catch((e) => e);
    expect(aborted).toBeInstanceOf(WaitInterruptedError);
    expect(aborted.jobId).toMatch(/^\d+$/);
  });

  it("resume() picks a job up by its JobId alone, without a second Submit; a bad JobId or a misspelt region is refused before sending", async () => {
    let jobId = "";
    const stop = new AbortController();
    await animate(dancer, {
      ...options,
      onSubmitted: (id) => {
        jobId = id;
        stop.abort();
      },
      signal: stop.signal,
    }).catch(() => {});
    const before = jobCount();
    const video = await resume(jobId, { ...options, template: "ke3" });
    expect([video.jobId, video.template, jobCount()]).toEqual([jobId, "ke3", before]);
    expect(new TextDecoder().decode((await video.download()).subarray(4, 8))).toBe("ftyp");
    await expect(resume("123abc", options)).rejects.toThrow(/must be a JobId/);
    const unknown = await resume("4242424242", options).catch((e) => e);
    expect(unknown).toBeInstanceOf(WaitInterruptedError);
    expect(unknown.message).toMatch(/does not exist in this account and region/);
    const region = await animate(dancer, { ...options, region: "ap-singapor" }).catch((e) => e);
    expect([region.name, region.message]).toEqual(["VclmValidationError", expect.stringContaining("did you mean ap-singapore?")]);
    expect(jobCount()).toBe(before);
  });

  it("refuses a download that is not the whole video", async () => {
    // The connection to the video's host is cut after 1,000 bytes; API calls go through.
    const cut: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).includes("/videos/")) return answer;
      const bytes = new Uint8Array(await answer.arrayBuffer()).subarray(0, 1000);
      return new Response(bytes, {
        headers: { "content-type": "video/mp4", "content-length": String(answer.headers.get("content-length")) },
      });
    };
    const video = await animate(dancer, { ...options, fetch: cut });
    const short = await video.download().catch((e) => e);
    expect(short).toBeInstanceOf(VideoDownloadError);
    expect(short.message).toMatch(/sent 1000 of \d+ bytes/);
  });
});
