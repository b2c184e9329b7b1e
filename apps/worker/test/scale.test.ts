// Many visitors at once: 500 photos posted by 25 users in parallel, an account of 10 concurrent jobs
// and 20 requests/s per action, and the coordinator restarted (workerd restarted: every Durable
// Object's memory dropped, storage kept) while jobs run. Counted: jobs DONE, visitors who saw
// JobNumExceed, the busiest second of calls per action (as the service's side sees them), videos
// in R2, photos left in R2 once every submission is over, photos with two jobs.

import { makeJpeg } from "@vclm/tools/photos";
import { afterAll, describe, expect, it } from "vitest";
import { type JobView, startService } from "./service.js";

const N = Number(process.env.VCLM_SCALE_SUBMISSIONS ?? 500);
const USERS = 25;
let service: Awaited<ReturnType<typeof startService>> | undefined;
afterAll(() => service?.close());

interface Run {
  readonly submissions: number;
  readonly restart: boolean;
  readonly chaos?: { rate: number; seed: number };
}

async function run({ submissions: count, restart, chaos }: Run) {
  service = await startService({
    emulator: { schedule: { waitMs: 300, runMs: 700 }, limits: { concurrentJobs: 10, requestsPerSecond: 20 }, photoVideos: false },
    bindings: { SUBMITS_PER_DAY: String(count) },
  });
  const { origin, bearer, emulator, mf, calls } = service;
  if (chaos) emulator.emulator.scenarios.chaos({ ...chaos, actions: ["SubmitImageAnimateJob", "DescribeImageAnimateJob"] });
  const started = Date.now();
  // Distinct photos (portrait JPEG headers of different sizes), posted by 25 users in parallel.
  const posted = await Promise.all(
    Array.from({ length: USERS }, async (_, user) => {
      const ids: string[] = [];
      for (let i = user; i < count; i += USERS) {
        const photo = makeJpeg(520 + (i % 280), 1000 + Math.floor(i / 280));
        const answer = await fetch(`${origin}/jobs`, { method: "POST", body: photo, headers: await bearer(`user${user}`) });
        expect(answer.status).toBe(202);
        ids.push(((await answer.json()) as { id: string }).id);
      }
      return ids.map((id) => ({ id, user: `user${user}` }));
    }),
  );
  const submissions = posted.flat();
  const acceptedIn = Date.now() - started;

  // Restarted while jobs run: once a fifth of them exist.
  let restartedAt = Number.NaN;
  if (restart) {
    while (emulator.emulator.jobs.size < count / 5) await new Promise((resolve) => setTimeout(resolve, 100));
    await service.restart();
    restartedAt = Date.now() - started;
  }

  // Every visitor polls our own endpoint until its job is over.
  const views = new Map<string, JobView>();
  const over = (view: JobView | undefined) =>
    view && ["DONE", "FAIL", "maybe-submitted", "refused"].includes(view.state) && (view.state !== "DONE" || view.video);
  for (const deadline = Date.now() + 420_000; Date.now() < deadline; ) {
    const open = submissions.filter(({ id }) => !over(views.get(id)));
    if (!open.length) break;
    await Promise.all(
      open.map(async ({ id, user }) =>
        views.set(id, (await (await fetch(`${origin}/jobs/${id}`, { headers: await bearer(user) })).json()) as JobView),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const took = Date.now() - started;
  const states = [...views.values()];
  const perPhoto = new Map<string, number>();
  for (const job of emulator.emulator.jobs.all()) {
    const key = new URL(job.photo).pathname;
    perPhoto.set(key, (perPhoto.get(key) ?? 0) + 1);
  }
  const perSecond = (action: string) => {
    const seconds = new Map<number, number>();
    for (const call of calls)
      if (call.action === action) seconds.set(Math.floor(call.at / 1000), (seconds.get(Math.floor(call.at / 1000)) ?? 0) + 1);
    return seconds;
  };
  const submits = perSecond("SubmitImageAnimateJob");
  const describes = perSecond("DescribeImageAnimateJob");
  const videos = (await (await mf.getR2Bucket("BUCKET")).list({ prefix: "videos/", limit: 1000 })).objects.length;
  // Once every submission is over, no job can use a photo: none is left.
  const photosLeft = (await (await mf.getR2Bucket("BUCKET")).list({ prefix: "photos/", limit: 1000 })).objects.length;
  const counts = {
    submissions: submissions.length,
    DONE: states.filter((job) => job.state === "DONE" && job.video).length,
    "maybe submitted": states.filter((job) => job.state === "maybe-submitted").length,
    "visitors who saw JobNumExceed": states.filter((job) => /JobNumExceed/.test(job.error ?? "")).length,
    "jobs the service made": emulator.emulator.jobs.size,
    "photos with two jobs": [...perPhoto.values()].filter((n) => n > 1).length,
    // A job that did not end DONE for its visitor must belong to a photo reported as "maybe submitted".
    "paid jobs neither DONE nor reported": Math.max(
      0,
      [...emulator.emulator.jobs.all()].filter((job) => !states.some((view) => view.JobId === job.id && view.state === "DONE")).length -
        states.filter((view) => view.state === "maybe-submitted").length,
    ),
    "videos in R2": videos,
    "photos left in R2": photosLeft,
    "Submit calls": calls.filter((call) => call.action === "SubmitImageAnimateJob").length,
    "Describe calls": calls.filter((call) => call.action === "DescribeImageAnimateJob").length,
    "busiest second, Submit": Math.max(...submits.values()),
    "busiest second, Describe": Math.max(...describes.values()),
    "accepted in (s)": (acceptedIn / 1000).toFixed(1),
    "restarted at (s)": restart ? (restartedAt / 1000).toFixed(1) : "-",
    "all over in (s)": (took / 1000).toFixed(1),
    "lower bound (s)": ((count / 10) * 1).toFixed(0),
  };
  console.table(counts);
  // Calls per second over the run, Submit / Describe.
  const series = [];
  for (let second = Math.min(...submits.keys()); second <= Math.max(...describes.keys()); second++)
    series.push(`${submits.get(second) ?? 0}/${describes.get(second) ?? 0}`);
  console.log(`calls per second (Submit/Describe): ${series.join(" ")}`);
  await service.close();
  service = undefined;
  return counts;
}

/** What must hold after any run: every submission DONE or reported, none doubled, the limits kept. */
function expectKept(counts: Awaited<ReturnType<typeof run>>, submissions: number): void {
  expect(counts.DONE + counts["maybe submitted"]).toBe(submissions);
  expect(counts["visitors who saw JobNumExceed"]).toBe(0);
  expect(counts["photos with two jobs"]).toBe(0);
  expect(counts["paid jobs neither DONE nor reported"]).toBe(0);
  expect(counts["videos in R2"]).toBe(counts.DONE);
  expect(counts["photos left in R2"]).toBe(0);
  expect(counts["busiest second, Submit"]).toBeLessThanOrEqual(20);
  expect(counts["busiest second, Describe"]).toBeLessThanOrEqual(20);
}

describe("apps/worker at scale, in workerd (Queues, Durable Objects, R2) against the emulator", () => {
  it(`${N} submissions from ${USERS} users at once, the coordinator restarted mid-run: all DONE, none doubled, the limits kept`, async () => {
    expectKept(await run({ submissions: N, restart: true }), N);
  }, 480_000);

  it(`${N} submissions with faults on 10% of calls (5xx, dropped connections, lost answers, throttling): none doubled, every paid job reported`, async () => {
    expectKept(await run({ submissions: N, restart: false, chaos: { rate: 0.1, seed: 13 } }), N);
  }, 480_000);
});
