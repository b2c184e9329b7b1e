// A batch through the emulator's fault scenarios, as a user runs it (with @vclm/retry), on the
// emulator's clock: 5xx from the gateway, dropped connections, lost answers (the Submit is processed,
// the answer never comes), throttling, and all four at once. Counted: photos, jobs the emulator
// created, photos with two jobs (must be 0), paid jobs with neither a saved video nor a report line
// (must be 0). Later runs with the same journal pick up what the first left unfinished (a run stops
// submitting after two Submits in a row that may have arrived, so as not to pay blind).
import type { Fault } from "@vclm/emulator";
import { retry } from "@vclm/retry";
import { describe, expect, it } from "vitest";
import { type BatchReport, memoryJournal } from "../src/index.js";
import { memorySave, photos, runBatch, virtualWorld } from "./world.js";

const PHOTOS = 60;
const rows: Record<string, string | number>[] = [];

function counts(world: ReturnType<typeof virtualWorld>, report: BatchReport, keyOfPhoto: Map<string, string>) {
  const byKey = new Map(report.photos.map((photo) => [photo.key, photo]));
  const jobsPerPhoto = new Map<string, number>();
  let unreported = 0;
  for (const job of world.emulator.jobs.all()) {
    const key = keyOfPhoto.get(job.photo) as string;
    jobsPerPhoto.set(key, (jobsPerPhoto.get(key) ?? 0) + 1);
    const outcome = byKey.get(key);
    if (!outcome || outcome.outcome === "refused" || (outcome.outcome === "saved" && !outcome.bytes)) unreported++;
  }
  return {
    jobs: world.emulator.jobs.size,
    doubled: [...jobsPerPhoto.values()].filter((n) => n > 1).length,
    unreported,
  };
}

describe("animateMany under faults", () => {
  const scenarios: [string, Fault[]][] = [
    ["5xx", ["serverError"]],
    ["dropped connections", ["dropConnection"]],
    ["lost answers", ["loseAnswer"]],
    ["throttling", ["throttle"]],
    ["all four", ["serverError", "dropConnection", "loseAnswer", "throttle"]],
  ];
  it.each(scenarios)("%s on 15%% of calls: no photo has two jobs, every paid job is saved or reported", async (label, kinds) => {
    const world = virtualWorld({ schedule: { waitMs: 20_000, runMs: 100_000 }, limits: { concurrentJobs: 5, requestsPerSecond: 20 } });
    world.client.use(retry({ baseDelay: 1, throttledBaseDelay: 1, maxDelay: 5 }));
    world.emulator.scenarios.chaos({ rate: 0.15, kinds, seed: 7 });
    const list = photos(PHOTOS);
    // The emulator keys a job's photo by the SHA-256 of its base64; the batch by template and bytes.
    const keyOfPhoto = new Map<string, string>();
    for (const { photo } of list) {
      const bytes = photo as Uint8Array<ArrayBuffer>;
      const b64 = new TextEncoder().encode(Buffer.from(bytes).toString("base64"));
      const hex = (buffer: ArrayBuffer) => Buffer.from(buffer).toString("hex");
      keyOfPhoto.set(hex(await crypto.subtle.digest("SHA-256", b64)), `ke3:${hex(await crypto.subtle.digest("SHA-256", bytes))}`);
    }
    const journal = await memoryJournal();
    const { save } = memorySave(world);
    const first = await runBatch(world, list, { journal, save });
    const firstCounts = counts(world, first, keyOfPhoto);
    // Two Submits in a row that may have arrived stop a run's submitting (it pays blind no more):
    // the user runs it again, as the report says, until nothing is left unfinished.
    let second = await runBatch(world, list, { journal, save });
    let runs = 2;
    for (; second.counts.error && runs < 8; runs++) second = await runBatch(world, list, { journal, save });
    const secondCounts = counts(world, second, keyOfPhoto);
    rows.push({
      faults: label,
      photos: PHOTOS,
      "API calls": world.calls.length,
      "jobs created": secondCounts.jobs,
      "photos with two jobs": secondCounts.doubled,
      "saved (run 1)": first.counts.saved,
      "saved (last run)": second.counts.saved,
      "maybe submitted": second.counts["maybe-submitted"],
      "unfinished after run 1": first.counts.error,
      "runs until none unfinished": runs,
      "paid, neither saved nor reported": secondCounts.unreported,
    });
    expect(firstCounts.doubled).toBe(0);
    expect(secondCounts).toMatchObject({ doubled: 0, unreported: 0 });
    expect(second.counts.saved + second.counts["maybe-submitted"]).toBe(PHOTOS);
    if (kinds.length === 1 && kinds[0] === "throttle") expect(second.counts.saved).toBe(PHOTOS); // throttling is never ambiguous
  });

  it("prints the table", () => {
    console.table(rows);
    expect(rows).toHaveLength(scenarios.length);
  });
});
