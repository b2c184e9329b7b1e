// The batch's promise at its edges, on the emulator's clock: a journal that cannot write, a photo
// that changes mid-run, a stop while a Submit is on its way, answers lost in a row, links that
// expire, photos with the same bytes under two names, and one signal for many jobs.
import { classifyFailure, SubmitImageAnimateJob, VclmNetworkError, VclmResponseError, VclmServiceError } from "@vclm/core";
import { describe, expect, it } from "vitest";
import { type BatchEvent, BatchInterruptedError, type BatchPhoto, type Journal, type JournalRecord, memoryJournal } from "../src/index.js";
import { jobCounts, memorySave, photos, runBatch, virtualWorld } from "./world.js";

const schedule = { waitMs: 20_000, runMs: 100_000 };
const submits = (world: ReturnType<typeof virtualWorld>) => world.calls.filter((call) => call.action === "SubmitImageAnimateJob").length;
const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });

/** A memory journal that refuses the records `refuse` picks (as a full disk does) while `full.now` is true. */
async function fillingJournal(refuse: (record: JournalRecord) => boolean) {
  const inner = await memoryJournal();
  const full = { now: true, refused: 0 };
  const journal: Journal & { records: readonly JournalRecord[] } = {
    get records() {
      return inner.records;
    },
    read: () => inner.read(),
    append: async (record) => {
      if (full.now && refuse(record)) {
        full.refused++;
        throw enospc();
      }
      return inner.append(record);
    },
  };
  return { journal, full };
}

describe("never pay twice", () => {
  it("a journal that cannot write an intent sends no Submit: the batch stops submitting and says why", async () => {
    const world = virtualWorld({ schedule });
    let intents = 0;
    const { journal } = await fillingJournal((record) => record.type === "intent" && ++intents > 2);
    const report = await runBatch(world, photos(5), { journal });
    expect(submits(world)).toBe(2);
    expect(jobCounts(world).jobs).toBe(2);
    expect(report.counts).toMatchObject({ saved: 2, error: 3 });
    expect(report.stopped).toMatch(/the journal could not be written \(ENOSPC/);
    expect(report.photos[4]?.message).toMatch(/not submitted: the batch stopped submitting, as the journal could not be written/);
  });

  it("a photo that changed after it was hashed is not submitted (its key names other bytes); a rerun submits it as it is", async () => {
    const world = virtualWorld({ schedule });
    const [changing, steady] = photos(2) as [BatchPhoto, BatchPhoto];
    let reads = 0;
    const bytes = changing.photo as Uint8Array;
    const grows: BatchPhoto = { name: "grows.jpg", photo: async () => (++reads === 1 ? bytes : new Uint8Array([...bytes, 0])) };
    const journal = await memoryJournal();
    const report = await runBatch(world, [grows, steady], { journal });
    expect(report.photos[0]).toMatchObject({ outcome: "error" });
    expect(report.photos[0]?.message).toMatch(/the photo changed after the batch started.*nothing was submitted/);
    expect(jobCounts(world)).toEqual({ jobs: 1, doubled: 0 });
    const again = await runBatch(world, [grows, steady], { journal });
    expect(again.counts.saved).toBe(2);
    expect(jobCounts(world)).toEqual({ jobs: 2, doubled: 0 });
  });

  it("after lost answers, it stops paying blind: 1 Submit, a pause, 1 cautious Submit, then none; known jobs are still saved", async () => {
    const world = virtualWorld({ schedule });
    const list = photos(10);
    // The first photo gets its answer; every Submit after it is processed and its answer lost.
    let submitted = 0;
    const events: BatchEvent[] = [];
    const report = await runBatch(world, list, {
      onEvent: (event) => {
        events.push(event);
        if (event.type === "submitted" && ++submitted === 1)
          world.emulator.scenarios.loseAnswer({ count: 100, actions: ["SubmitImageAnimateJob"] });
      },
    });
    expect(submits(world)).toBe(3);
    expect(jobCounts(world)).toEqual({ jobs: 3, doubled: 0 });
    expect(report.counts).toMatchObject({ saved: 1, "maybe-submitted": 2, error: 7 });
    expect(report.stopped).toMatch(/2 Submits in a row may have reached the service and got no answer/);
    expect(events.filter((event) => event.type === "stopped")).toHaveLength(1);
    // The cautious Submit came after a pause of at least 5 s.
    const [, second, third] = world.calls.filter((call) => call.action === "SubmitImageAnimateJob");
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(5_000);
  });

  it("a connection refused between two lost answers does not reset the count: still stopped after the second", async () => {
    const world = virtualWorld({ schedule });
    world.emulator.scenarios.loseAnswer({ count: 100, actions: ["SubmitImageAnimateJob"] });
    // The second Submit meets a refused connection (provably never sent), then lost answers again.
    let submits = 0;
    world.client.middleware.add(
      async (context, next) => {
        if (context.operation.action === "SubmitImageAnimateJob" && ++submits === 2)
          throw new VclmNetworkError(
            "http://vclm.emulator.test/",
            "SubmitImageAnimateJob",
            Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
          );
        return next();
      },
      { name: "refuseTheSecond", phase: "transport", before: "fetchTransport" },
    );
    const report = await runBatch(world, photos(8));
    expect(jobCounts(world)).toEqual({ jobs: 2, doubled: 0 });
    expect(report.counts["maybe-submitted"]).toBe(2);
    expect(report.stopped).toMatch(/2 Submits in a row may have reached the service/);
  });

  it("an answer that is not the service's (a 200 that is not JSON) or an InternalError may have made a job: never sent again", () => {
    const unreadable = new VclmResponseError("the answer is not JSON", { action: "SubmitImageAnimateJob", status: 200, body: "<html>" });
    expect(classifyFailure(unreadable)).toBe("unexpected"); // a paid call treats it as may-have-arrived
    for (const code of ["InternalError", "ServiceUnavailable", "FailedOperation.InnerError"])
      expect(
        classifyFailure(new VclmServiceError({ action: "SubmitImageAnimateJob", code, message: "", requestId: "r", status: 200 })),
      ).toBe("may-have-arrived");
    expect(
      classifyFailure(
        new VclmServiceError({
          action: "SubmitImageAnimateJob",
          code: "FailedOperation.JobQueueFull",
          message: "",
          requestId: "r",
          status: 200,
        }),
      ),
    ).toBe("throttled");
    expect(classifyFailure(new VclmResponseError("HTTP 429", { action: "SubmitImageAnimateJob", status: 429, body: "" }))).toBe(
      "throttled",
    );
  });

  it("one lost answer, then answers again: the batch goes on after its cautious pause", async () => {
    const world = virtualWorld({ schedule });
    world.emulator.scenarios.loseAnswer({ count: 1, actions: ["SubmitImageAnimateJob"] });
    const report = await runBatch(world, photos(6));
    expect(report.counts).toMatchObject({ saved: 5, "maybe-submitted": 1 });
    expect(report.stopped).toBeUndefined();
    expect(jobCounts(world)).toEqual({ jobs: 6, doubled: 0 });
  });
});

describe("never lose a paid video", () => {
  it("a JobId the journal cannot record is told at once, kept in the report, and its record tried again until written", async () => {
    const world = virtualWorld({ schedule });
    const { journal, full } = await fillingJournal((record) => record.type === "submitted" || record.type === "intent");
    full.now = false;
    const events: BatchEvent[] = [];
    let submitted = 0;
    const report = await runBatch(world, photos(4), {
      journal,
      onEvent: (event) => {
        events.push(event);
        if (event.type === "submitted" && ++submitted === 1) full.now = true; // the disk fills as the first answer arrives
        if (event.type === "unrecorded") setTimeout(() => (full.now = false), 0); // and is freed soon after
      },
    });
    const told = events.find((event) => event.type === "unrecorded");
    expect(told?.JobId).toMatch(/^\d+$/);
    expect(told?.message).toMatch(
      new RegExp(`job ${told?.JobId} for p0\\.jpg was submitted, but the journal could not record it \\(ENOSPC`),
    );
    // Told before anything else could fail: the `submitted` event carried it first.
    expect(events.findIndex((event) => event.type === "submitted" && event.JobId === told?.JobId)).toBeLessThan(
      events.indexOf(told as BatchEvent),
    );
    expect(submits(world)).toBe(1); // no more Submits once the journal failed
    expect(report.photos[0]).toMatchObject({ outcome: "saved", JobId: told?.JobId });
    expect(journal.records.some((record) => record.type === "saved" && record.JobId === told?.JobId)).toBe(true);
    expect(report.stopped).toMatch(/the journal could not be written/);
  });

  it("a JobId never recorded is in the report, marked, with how to adopt it on a rerun", async () => {
    const world = virtualWorld({ schedule });
    const { journal, full } = await fillingJournal((record) => record.type !== "intent");
    full.now = true;
    const report = await runBatch(world, photos(1), { journal });
    const [photo] = report.photos;
    expect(photo?.JobId).toMatch(/^\d+$/);
    expect(photo?.unrecorded).toBe(true);
    expect(photo?.message).toMatch(new RegExp(`--adopt p0\\.jpg=${photo?.JobId}`));
    // The rerun, as told: the photo is adopted, its video saved, nothing submitted again.
    full.now = false;
    const again = await runBatch(world, photos(1), { journal, adopt: { "p0.jpg": photo?.JobId as string } });
    expect(again.photos[0]).toMatchObject({ outcome: "saved", JobId: photo?.JobId });
    expect(jobCounts(world)).toEqual({ jobs: 1, doubled: 0 });
  });

  it("a listener that throws does not keep a JobId from its record: the batch finishes, then rejects with the listener's error", async () => {
    const world = virtualWorld({ schedule });
    const journal = await memoryJournal();
    const error = await runBatch(world, photos(3), {
      journal,
      onEvent: (event) => {
        if (event.type === "submitted") throw new Error("a bug in the listener");
      },
    }).catch((reason) => reason);
    expect(error).toMatchObject({ message: "a bug in the listener" });
    expect(journal.records.filter((record) => record.type === "submitted")).toHaveLength(3);
    expect(journal.records.filter((record) => record.type === "saved")).toHaveLength(3);
  });

  it("a stop while a Submit is on its way lets it finish and records it; nothing new starts; the error says what is left", async () => {
    const world = virtualWorld({ schedule });
    world.emulator.scenarios.latency(300, { actions: ["SubmitImageAnimateJob"] });
    const stop = new AbortController();
    const journal = await memoryJournal();
    const error = await runBatch(world, photos(5), {
      journal,
      signal: stop.signal,
      onEvent: (event) => event.type === "submitting" && event.name === "p1.jpg" && stop.abort(new Error("Ctrl-C")),
    }).catch((reason) => reason);
    expect(error).toBeInstanceOf(BatchInterruptedError);
    expect(error.cause).toMatchObject({ message: "Ctrl-C" });
    expect(submits(world)).toBe(2);
    const jobs = [...world.emulator.jobs.all()].map((job) => job.id);
    expect(jobs).toHaveLength(2);
    // Both jobs are in the journal and the report; the error names each one not saved yet.
    for (const JobId of jobs) {
      expect(journal.records.some((record) => record.type === "submitted" && record.JobId === JobId)).toBe(true);
      const photo = error.report.photos.find((outcome: { JobId?: string }) => outcome.JobId === JobId);
      expect(["saved", "error"]).toContain(photo?.outcome);
      if (photo?.outcome === "error") expect(error.message).toContain(`${photo.name}: job ${JobId}`);
    }
    expect(error.message).toMatch(/3 not submitted; run the batch again with the same journal to go on/);
    expect(error.report.photos.slice(2).every((photo: { outcome: string }) => photo.outcome === "error")).toBe(true);
    const again = await runBatch(world, photos(5), { journal });
    expect(again.counts.saved).toBe(5);
    expect(jobCounts(world)).toEqual({ jobs: 5, doubled: 0 });
  });

  it("a full disk while saving is said as such, tried once, and stops submitting: no more videos are paid for that cannot be kept", async () => {
    const world = virtualWorld({ schedule, limits: { concurrentJobs: 2 } });
    let saves = 0;
    const save = async () => {
      saves++;
      throw Object.assign(new Error("could not write /videos/.vclm-1.part: the disk is full (ENOSPC)"), { code: "ENOSPC" });
    };
    const report = await runBatch(world, photos(6), { save, concurrentJobs: 2 });
    expect(report.stopped).toMatch(/videos cannot be saved: could not write .* the disk is full \(ENOSPC\)/);
    expect(saves).toBe(jobCounts(world).jobs); // once per video, no retries
    expect(jobCounts(world).jobs).toBeLessThanOrEqual(2);
    const failed = report.photos.filter((photo) => photo.JobId);
    for (const photo of failed) expect(photo.message).toMatch(/its video could not be saved: .*ENOSPC.*run the batch again/);
    expect(report.photos.filter((photo) => !photo.JobId).every((photo) => /^not submitted/.test(photo.message ?? ""))).toBe(true);
  });

  it("an adopted job whose video the service no longer serves is lost, once, not 'run again' forever", async () => {
    const world = virtualWorld({ schedule });
    const [photo] = photos(1) as [BatchPhoto];
    const { JobId } = await world.client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo: photo.photo as Uint8Array });
    // Found in the account two days later: done long ago, its video gone.
    let later = false;
    world.sleep(48 * 3600_000).then(() => (later = true));
    await world.run(() => later);
    const journal = await memoryJournal();
    const report = await runBatch(world, [photo], { journal, adopt: { "p0.jpg": JobId } });
    expect(report.photos[0]).toMatchObject({ outcome: "lost", JobId });
    expect(report.photos[0]?.message).toMatch(/HTTP 403.*keeps a video for 24 hours.*adopted/);
    expect(jobCounts(world).jobs).toBe(1);
  });

  it("a job resumed 40 minutes after its Submit is waited for and saved, not given up after maxWait from the Submit", async () => {
    const world = virtualWorld({ schedule: { waitMs: 60_000, runMs: 60 * 60_000 } });
    const journal = await memoryJournal();
    const stop = new AbortController();
    await runBatch(world, photos(1), {
      journal,
      signal: stop.signal,
      onEvent: (event) => event.type === "submitted" && stop.abort(new Error("crash")),
    }).catch(() => {});
    let later = false;
    world.sleep(40 * 60_000).then(() => (later = true));
    await world.run(() => later);
    const report = await runBatch(world, photos(1), { journal });
    expect(report.photos[0]?.outcome).toBe("saved");
    expect(jobCounts(world)).toEqual({ jobs: 1, doubled: 0 });
  });

  it("a saved video whose file changed is saved again (while the service serves it), not believed", async () => {
    const world = virtualWorld({ schedule });
    const { save } = memorySave(world);
    const journal = await memoryJournal();
    const broken = new Set<string>();
    const checkSaved = async ({ location }: { location: string }) =>
      broken.has(location) ? `${location} has changed since it was saved` : undefined;
    const first = await runBatch(world, photos(2), { journal, save, checkSaved });
    broken.add(first.photos[0]?.location as string);
    const again = await runBatch(world, photos(2), { journal, save, checkSaved });
    expect(again.photos[0]).toMatchObject({ outcome: "saved", JobId: first.photos[0]?.JobId });
    expect(again.photos[0]?.message).toMatch(/saved again: .* has changed since it was saved/);
    expect(again.photos[1]?.message).toBeUndefined();
    expect(jobCounts(world)).toEqual({ jobs: 2, doubled: 0 });
  });
});

describe("the report", () => {
  it("photos with the same bytes are one job and one video: counted once, each saying which file holds its video", async () => {
    const world = virtualWorld({ schedule });
    const [one, two] = photos(2) as [BatchPhoto, BatchPhoto];
    const report = await runBatch(world, [one, { ...one, name: "copy.jpg" }, two]);
    expect(report.counts.saved).toBe(2);
    expect(report.photos[1]).toMatchObject({ name: "copy.jpg", outcome: "saved", sameAs: "p0.jpg", location: report.photos[0]?.location });
    expect(jobCounts(world).jobs).toBe(2);
  });

  it("adopt takes any name of photos with the same bytes", async () => {
    const world = virtualWorld({ schedule });
    const [one] = photos(1) as [BatchPhoto];
    const { JobId } = await world.client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo: one.photo as Uint8Array });
    const report = await runBatch(world, [one, { ...one, name: "copy.jpg" }], { adopt: { "copy.jpg": JobId } });
    expect(report.photos.map((photo) => [photo.outcome, photo.JobId])).toEqual([
      ["saved", JobId],
      ["saved", JobId],
    ]);
    expect(jobCounts(world).jobs).toBe(1);
    await expect(runBatch(world, [one, { ...one, name: "copy.jpg" }], { adopt: { "p0.jpg": "1", "copy.jpg": "2" } })).rejects.toThrow(
      /copy\.jpg has the same bytes as p0\.jpg, copy\.jpg: one photo, one job; adopt 1 or 2, not both/,
    );
  });

  it("adopt refuses one job for two photos, before anything is written", async () => {
    const world = virtualWorld({ schedule });
    const [one, two] = photos(2) as [BatchPhoto, BatchPhoto];
    const { JobId } = await world.client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo: one.photo as Uint8Array });
    const journal = await memoryJournal();
    await expect(runBatch(world, [one, two], { journal, adopt: { "p0.jpg": JobId, "p1.jpg": JobId } })).rejects.toThrow(
      new RegExp(`job ${JobId} is p0\\.jpg's already: one job is one photo's video`),
    );
    expect(journal.records).toEqual([]);
  });

  it("50 jobs under one signal: no MaxListenersExceededWarning", async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.name);
    process.on("warning", listen);
    try {
      const world = virtualWorld({ schedule });
      const report = await runBatch(world, photos(50), { signal: new AbortController().signal });
      expect(report.counts.saved).toBe(50);
      await new Promise((resolve) => setTimeout(resolve, 10)); // warnings are emitted on the next tick
      expect(warnings).toEqual([]);
    } finally {
      process.off("warning", listen);
    }
  });
});
