// What one user can make the Worker keep, in workerd against the emulator: uploads per minute
// (REQUESTS_PER_MINUTE, taken before anything is written), and photos, which leave R2 as soon as no
// job can use them: refused by the service, maybe submitted (never sent again), FAIL or DONE.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "./service.js";

const photo = readFileSync(new URL("../../../samples/dancer.jpg", import.meta.url));
let service: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  service = await startService({
    emulator: { schedule: { waitMs: 500, runMs: 500 }, photoVideos: false },
    bindings: { REQUESTS_PER_MINUTE: "3", SUBMITS_PER_DAY: "10" },
  });
});
afterAll(() => service?.close());

/** A submission's state once the coordinator has tried its Submit. */
const reported = (view: { state?: string }) => ["submitted", "DONE", "FAIL", "refused", "maybe-submitted"].includes(view.state ?? "");

/** The keys of the photos in R2 now. */
const photosInR2 = async () =>
  (await (await service.mf.getR2Bucket("BUCKET")).list({ prefix: "photos/" })).objects.map((object) => object.key);

/** Posts the sample photo as `user`; the answer, and the key of the photo it stored, if one. */
async function post(user: string): Promise<{ status: number; id?: string; stored: string[] }> {
  const before = await photosInR2();
  const answer = await fetch(`${service.origin}/jobs`, { method: "POST", body: photo, headers: await service.bearer(user) });
  const { id } = (await answer.json()) as { id?: string };
  // Others' photos may leave meanwhile; none but this one can arrive.
  return { status: answer.status, ...(id && { id }), stored: (await photosInR2()).filter((key) => !before.includes(key)) };
}

describe("apps/worker's limits on what a user can make it keep", () => {
  it("refuses a user's uploads past REQUESTS_PER_MINUTE with 429, writing nothing to R2; another user is not held up", async () => {
    // Four requests in one minute's window, not across two.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await post("rapid"));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 429]);
    expect(answers.map((answer) => answer.stored.length)).toEqual([1, 1, 1, 0]);
    const other = await post("patient");
    expect(other.status).toBe(202);
    // Every accepted one has reached the service before the next test arms a fault for the next Submit.
    for (const { id, user } of [...answers.slice(0, 3).map(({ id }) => ({ id, user: "rapid" })), { id: other.id, user: "patient" }])
      expect((await service.waitFor(id as string, user, (job) => Boolean(job.JobId))).JobId).toBeDefined();
  }, 40_000);

  it("deletes the photo of a Submit the service refused (no job) by the time the job is reported refused", async () => {
    service.emulator.emulator.scenarios.serverError(400, { actions: ["SubmitImageAnimateJob"] }); // its gateway says no: no job
    const before = service.emulator.emulator.jobs.size;
    const { status, id, stored } = await post("refused");
    expect(status).toBe(202);
    expect(stored).toHaveLength(1);
    const job = await service.waitFor(id as string, "refused", reported);
    expect(job.state).toBe("refused");
    expect(service.emulator.emulator.jobs.size).toBe(before);
    expect(await photosInR2()).not.toContain(stored[0]);
  });

  it("deletes the photo of a Submit whose answer was lost (maybe submitted, never sent again) by the time it is reported", async () => {
    service.emulator.emulator.scenarios.loseAnswer({ actions: ["SubmitImageAnimateJob"] }); // the job is made, the answer lost
    const before = service.emulator.emulator.jobs.size;
    const { status, id, stored } = await post("unanswered");
    expect(status).toBe(202);
    expect(stored).toHaveLength(1);
    const job = await service.waitFor(id as string, "unanswered", reported);
    expect(job.state).toBe("maybe-submitted");
    expect(service.emulator.emulator.jobs.size).toBe(before + 1); // the service did make it: nobody can follow it
    expect(await photosInR2()).not.toContain(stored[0]);
  });

  it("deletes the photo of a job that ends FAIL", async () => {
    service.emulator.emulator.scenarios.failNextJob({ code: "FailedOperation.ImageDetectFaceFailed" });
    const { status, id, stored } = await post("failed");
    expect(status).toBe(202);
    expect(stored).toHaveLength(1);
    const failed = await service.waitFor(id as string, "failed", (view) => view.state === "FAIL");
    expect(failed.state).toBe("FAIL");
    expect(failed.error).toMatch(/^FailedOperation\.ImageDetectFaceFailed: /); // the visitor is told why
    expect(await photosInR2()).not.toContain(stored[0]);
  });
});
