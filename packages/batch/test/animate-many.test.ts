import { VclmValidationError } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { describe, expect, it } from "vitest";
import { animateMany, type BatchEvent, type BatchPhoto, type JournalRecord, memoryJournal } from "../src/index.js";
import { busiestSecond, jobCounts, memorySave, photos, runBatch, virtualWorld } from "./world.js";

const schedule = { waitMs: 20_000, runMs: 100_000 };

describe("animateMany", () => {
  it("runs 40 photos through an account of 4 concurrent jobs: learns the limit from JobNumExceed, keeps to the rate, saves every video", async () => {
    const world = virtualWorld({ schedule, limits: { concurrentJobs: 4, requestsPerSecond: 5 } });
    const { saved, save } = memorySave(world);
    const events: BatchEvent[] = [];
    const report = await runBatch(world, photos(40), { save, requestsPerSecond: 5, onEvent: (event) => events.push(event) });
    expect(report.counts).toEqual({ saved: 40, failed: 0, "maybe-submitted": 0, lost: 0, refused: 0, error: 0 });
    expect(report.concurrentJobs).toBe(4);
    expect(saved.size).toBe(40);
    expect([...saved.values()].every((bytes) => bytes > 1000)).toBe(true);
    expect(jobCounts(world)).toEqual({ jobs: 40, doubled: 0 });
    expect(busiestSecond(world, "SubmitImageAnimateJob")).toBeLessThanOrEqual(5);
    expect(busiestSecond(world, "DescribeImageAnimateJob")).toBeLessThanOrEqual(5);
    // Refusals: one to learn the limit, then at most one probe a minute.
    const refused = world.calls.filter((call) => call.action === "SubmitImageAnimateJob").length - 40;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(1 + world.elapsed() / 60_000);
    expect(events.find((event) => event.type === "limit")?.limit).toBe(4);
    // The lower bound is 10 rounds of 120 s; the batch takes little more.
    expect(world.elapsed()).toBeLessThan(10 * 120_000 * 1.25);
  });

  it("resumes a batch stopped midway from its journal: no photo is submitted twice, every video is saved", async () => {
    const world = virtualWorld({ schedule, limits: { concurrentJobs: 3 } });
    const journal = await memoryJournal();
    const stop = new AbortController();
    let submittedBeforeStop = 0;
    await expect(
      runBatch(world, photos(12), {
        journal,
        signal: stop.signal,
        onEvent: (event) => {
          if (event.type === "submitted" && ++submittedBeforeStop === 5) stop.abort(new Error("stopped"));
        },
      }),
    ).rejects.toThrow("stopped");
    expect(jobCounts(world).jobs).toBe(5);
    const report = await runBatch(world, photos(12), { journal });
    expect(report.counts.saved).toBe(12);
    expect(report.submitted).toBe(7);
    expect(jobCounts(world)).toEqual({ jobs: 12, doubled: 0 });
    // A third run has nothing left to do: no call at all.
    const calls = world.calls.length;
    const again = await runBatch(world, photos(12), { journal });
    expect(again.counts.saved).toBe(12);
    expect(world.calls.length).toBe(calls);
  });

  it("does not resubmit a photo whose Submit was in flight at a crash, unless told to", async () => {
    const world = virtualWorld({ schedule });
    const [first, second] = photos(2) as [BatchPhoto, BatchPhoto];
    const journal = await memoryJournal();
    await runBatch(world, [first], { journal });
    const key = (journal.records[0] as JournalRecord).key.replace(/:.*/, ":");
    // A crash after the intent of the second photo was written, before its answer: as the journal shows it.
    const probe = await memoryJournal();
    await runBatch(virtualWorld({ schedule }), [second], { journal: probe });
    const intent = probe.records.find((record) => record.type === "intent") as JournalRecord;
    await journal.append(intent);
    expect(intent.key.startsWith(key)).toBe(true);
    const report = await runBatch(world, [first, second], { journal });
    expect(report.photos.map((photo) => photo.outcome)).toEqual(["saved", "maybe-submitted"]);
    expect(report.photos[1]?.message).toMatch(/may exist, and be paid for.*--resubmit-unsure/);
    expect(jobCounts(world).jobs).toBe(1);
    const forced = await runBatch(world, [first, second], { journal, resubmitUnsure: true });
    expect(forced.counts.saved).toBe(2);
    expect(jobCounts(world)).toEqual({ jobs: 2, doubled: 0 });
  });

  it("a lost answer to a Submit leaves the photo 'maybe submitted' (its job exists and is reported), and never sends it again", async () => {
    const world = virtualWorld({ schedule });
    world.emulator.scenarios.loseAnswer({ actions: ["SubmitImageAnimateJob"] });
    const journal = await memoryJournal();
    const report = await runBatch(world, photos(3), { journal });
    expect(report.counts).toMatchObject({ saved: 2, "maybe-submitted": 1 });
    expect(report.photos.find((photo) => photo.outcome === "maybe-submitted")?.message).toMatch(/may exist/);
    expect(jobCounts(world)).toEqual({ jobs: 3, doubled: 0 });
    await runBatch(world, photos(3), { journal });
    expect(jobCounts(world)).toEqual({ jobs: 3, doubled: 0 });
  });

  it("reports a job that failed, and does not submit it again on a rerun", async () => {
    const world = virtualWorld({ schedule });
    world.emulator.scenarios.failNextJob({ code: "FailedOperation.ImageDetectFaceFailed", message: "no face" });
    const journal = await memoryJournal();
    const report = await runBatch(world, photos(2), { journal });
    expect(report.photos[0]).toMatchObject({ outcome: "failed", code: "FailedOperation.ImageDetectFaceFailed", message: "no face" });
    expect(report.photos[1]?.outcome).toBe("saved");
    const again = await runBatch(world, photos(2), { journal });
    expect(again.photos.map((photo) => photo.outcome)).toEqual(["failed", "saved"]);
    expect(jobCounts(world).jobs).toBe(2);
  });

  it("refuses a photo the service would refuse without submitting it, and goes on with the rest", async () => {
    const world = virtualWorld({ schedule });
    const report = await runBatch(world, [{ name: "notes.txt", photo: new TextEncoder().encode("not a photo") }, ...photos(2)]);
    expect(report.photos[0]).toMatchObject({ name: "notes.txt", outcome: "refused" });
    expect(report.counts.saved).toBe(2);
    expect(jobCounts(world).jobs).toBe(2);
  });

  it("reports a job whose video was never saved within 24 hours as lost", async () => {
    const world = virtualWorld({ schedule });
    const journal = await memoryJournal();
    const stop = new AbortController();
    await expect(
      runBatch(world, photos(1), {
        journal,
        signal: stop.signal,
        onEvent: (event) => event.type === "submitted" && stop.abort(new Error("crash")),
      }),
    ).rejects.toThrow("crash");
    // The process stays down for a day and a half.
    let later = false;
    world.sleep(36 * 3600_000).then(() => (later = true));
    await world.run(() => later);
    const report = await runBatch(world, photos(1), { journal });
    expect(report.photos[0]).toMatchObject({
      outcome: "lost",
      JobId: journal.records[1]?.type === "submitted" ? journal.records[1].JobId : "?",
    });
    expect(report.photos[0]?.message).toMatch(/HTTP 403.*the service keeps a video for 24 hours/);
    expect(jobCounts(world).jobs).toBe(1);
  });

  it("tries a failing save again, and a save that keeps failing leaves the job to the next run", async () => {
    const world = virtualWorld({ schedule });
    const { save } = memorySave(world);
    let failures = 4;
    const flaky: typeof save = (video) => (failures-- > 0 ? Promise.reject(new Error("disk full")) : save(video));
    const journal = await memoryJournal();
    const report = await runBatch(world, photos(2), { journal, save: flaky, saveConcurrency: 1 });
    expect(report.counts).toMatchObject({ saved: 1, error: 1 });
    expect(report.photos.find((photo) => photo.outcome === "error")?.message).toMatch(/disk full; run the batch again to save job \d+/);
    const again = await runBatch(world, photos(2), { journal, save });
    expect(again.counts.saved).toBe(2);
    expect(jobCounts(world)).toEqual({ jobs: 2, doubled: 0 });
  });

  it("stops submitting at the first Submit refused for credentials: one call, not one per photo", async () => {
    const world = virtualWorld({ schedule });
    (world.client.state as { credentials: unknown }).credentials = { secretId: DEMO_ACCOUNT.secretId, secretKey: "wrong" };
    const report = await runBatch(world, photos(5));
    expect(report.counts.error).toBe(5);
    expect(report.photos[0]?.code).toMatch(/^AuthFailure/);
    expect(report.photos[4]?.message).toMatch(/^not submitted: the batch stopped submitting, as every Submit would fail alike/);
    expect(world.calls.filter((call) => call.action === "SubmitImageAnimateJob")).toHaveLength(1);
  });

  it("the same photo twice is one job; bad options are refused before anything is sent", async () => {
    const world = virtualWorld({ schedule });
    const [one] = photos(1) as [BatchPhoto];
    const report = await runBatch(world, [one, { ...one, name: "copy.jpg" }]);
    expect(report.photos.map((photo) => [photo.name, photo.outcome])).toEqual([
      ["p0.jpg", "saved"],
      ["copy.jpg", "saved"],
    ]);
    expect(jobCounts(world).jobs).toBe(1);
    await expect(
      animateMany(world.client, [one], {
        journal: await memoryJournal(),
        save: async () => ({ location: "", bytes: 0 }),
        concurrentJobs: 0,
      }),
    ).rejects.toThrow(VclmValidationError);
    await expect(
      animateMany(world.client, [one], {
        journal: await memoryJournal(),
        save: async () => ({ location: "", bytes: 0 }),
        requestsPerSecond: Number.NaN,
      }),
    ).rejects.toThrow(/requestsPerSecond/);
  });
});

describe("animateMany, settling photos that may have been submitted", () => {
  it("adopts the job found for one, resubmits the one named, leaves the rest", async () => {
    const world = virtualWorld({ schedule });
    const list = photos(3);
    const journal = await memoryJournal();
    // Three Submits in flight at a crash; the first had reached the service and made a job.
    const { JobId } = await world.client.send((await import("@vclm/core")).SubmitImageAnimateJob, {
      TemplateId: "ke3",
      photo: list[0]?.photo as Uint8Array,
    });
    const probe = await memoryJournal();
    await runBatch(virtualWorld({ schedule }), list, { journal: probe });
    for (const record of probe.records.filter((r) => r.type === "intent")) await journal.append(record);
    const report = await runBatch(world, list, { journal, adopt: { "p0.jpg": JobId }, resubmitUnsure: ["p1.jpg"] });
    expect(report.photos.map((photo) => photo.outcome)).toEqual(["saved", "saved", "maybe-submitted"]);
    expect(report.photos[0]?.JobId).toBe(JobId);
    expect(jobCounts(world)).toEqual({ jobs: 2, doubled: 0 });
    await expect(runBatch(world, list, { journal, adopt: { "nope.jpg": "1" } })).rejects.toThrow(
      /adopt names nope\.jpg, which is not a photo of this batch/,
    );
  });
});
