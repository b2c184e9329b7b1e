// The coordinator's money promise, checked on what a run left behind: the emulator's jobs (what
// was paid for), the object's storage (what its owners are told), R2 (the videos kept).
//   - No submission has two jobs.
//   - Every job ends with its video in R2 (its submission DONE), or its submission shows its
//     JobId, or says maybe-submitted. A job no submission answers for is money lost.
//   - No R2 video holds another job's video or part of one.
//   - No submission is lost: each ends in a final state, or (a run cut short) is still followed.
import type { Job } from "@vclm/emulator";
import type { SubmissionState } from "../../src/index.js";
import { verifyPhotoLink } from "../../src/index.js";
import { PHOTO_LINK_SECRET } from "./service.js";
import type { CoordinatorWorld, LifeEnd } from "./world.js";

const FINAL = new Set(["DONE", "FAIL", "maybe-submitted", "refused"]);
const equal = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

/** The photo a job was made from: its ImageUrl, a photo link that must be signed and unexpired when the job was made. */
const photoOf = async (job: Job) => {
  const url = URL.canParse(job.photo) ? new URL(job.photo) : undefined;
  return url && (await verifyPhotoLink(url, PHOTO_LINK_SECRET, job.createdAt));
};

/** What breaks the promise in `world` after a run that ended `end`; empty when it holds. */
export async function brokenPromises(world: CoordinatorWorld, end: LifeEnd): Promise<string[]> {
  const problems = [...world.network.problems];
  const jobsOf = new Map<string, Job[]>();
  for (const job of world.emulator.jobs.all()) {
    const key = await photoOf(job);
    const submission = world.submissions.find((s) => s.photo === `photos/${key}`);
    if (!submission) problems.push(`job ${job.id} was made from ${job.photo}, no submission's photo`);
    else jobsOf.set(submission.id, [...(jobsOf.get(submission.id) ?? []), job]);
  }

  for (const { id } of world.submissions) {
    const entry = world.storage.data.get(`job:${id}`) as SubmissionState | undefined;
    const jobs = jobsOf.get(id) ?? [];
    const where = `${id} (${entry?.state ?? "not stored"}${entry?.JobId ? ` ${entry.JobId}` : ""})`;
    if (jobs.length > 1) problems.push(`${where} has ${jobs.length} jobs: ${jobs.map((job) => job.id).join(", ")}`);
    if (!entry) {
      problems.push(`${where} is lost: the Queue delivered it, storage has nothing`);
      continue;
    }
    if (!FINAL.has(entry.state) && !(end === "timeout" && world.storage.alarm !== null))
      problems.push(`${where} is left ${entry.state} with nothing to move it on (no alarm ${end === "quiet" ? "came" : "set"})`);
    const [job] = jobs;
    if (job && entry.state !== "maybe-submitted" && entry.JobId !== job.id)
      problems.push(`${where}: job ${job.id} was made and paid for, and its owner is not told (neither its JobId nor maybe-submitted)`);
    if (!job && entry.JobId) problems.push(`${where} names a job the service never made`);
    if (entry.state === "DONE") {
      const object = entry.video && world.bucket.objects.get(entry.video.key);
      const served = entry.JobId && world.network.videos.get(entry.JobId);
      if (entry.video?.key !== `videos/${entry.JobId}.mp4`) problems.push(`${where} points at ${entry.video?.key}, not its own video`);
      else if (!object || !served || !equal(object.bytes, served)) problems.push(`${where}: R2 does not hold its whole video`);
      else if (entry.video.bytes !== served.length)
        problems.push(`${where} says ${entry.video.bytes} bytes; its video has ${served.length}`);
    }
  }

  for (const [key, object] of world.bucket.objects) {
    if (!key.startsWith("videos/")) continue;
    const JobId = /^videos\/(\d+)\.mp4$/.exec(key)?.[1] ?? "";
    const served = world.network.videos.get(JobId);
    if (!served || !equal(object.bytes, served))
      problems.push(`R2's ${key} (${object.bytes.length} bytes) is not job ${JobId}'s whole video`);
  }
  if (end === "quiet")
    for (const delivery of world.queue)
      if (!delivery.taken) problems.push(`a Queue delivery of ${delivery.submissions.map((s) => s.id)} was never taken`);
  return problems;
}

/** Throws with what broke, and the run's last operations, unless the promise holds. */
export async function assertPromiseKept(world: CoordinatorWorld, end: LifeEnd): Promise<void> {
  const problems = await brokenPromises(world, end);
  if (!problems.length) return;
  const lives = world.lives.map((life) => `${life.pid}: ${life.ops} ops, ${life.end}`).join("; ");
  throw new Error(
    `the money promise broke:\n  ${problems.join("\n  ")}\nlives: ${lives}\nthrown: ${world.thrown.length ? world.thrown.join("\n") : "nothing"}\nlast operations:\n  ${world.sim.trace.slice(-40).join("\n  ")}`,
  );
}
