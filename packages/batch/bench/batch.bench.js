// `pnpm bench` for @vclm/batch, on the emulator's clock (virtual time: hours simulated in seconds):
// 1,000 photos, jobs of 300 s, an account of 10 concurrent jobs and 20 requests/s per action.
// The lower bound is 1,000 / 10 x 300 s = 30,000 s. Beside it, in the same run, what people write
// by hand: 10 workers, each submitting a photo and checking it every 10 s until done (it must be
// told the limit; a worker that meets JobNumExceed waits 10 s and tries again).
import { DescribeImageAnimateJob, SubmitImageAnimateJob } from "@vclm/core";
import { largeJpeg } from "@vclm/tools/large-jpeg";
import { virtualWorld } from "../../poller/bench/virtual-time.js";
import { animateMany, memoryJournal, openVideo } from "../dist/index.js";

const PHOTOS = 1_000;
const JOB_SECONDS = 300.37; // not a whole number of anyone's polling interval
const LIMIT = 10;
const schedule = { waitMs: 60_000, runMs: Math.round((JOB_SECONDS - 60) * 1000) };
const limits = { concurrentJobs: LIMIT, requestsPerSecond: 20 };
const photos = Array.from({ length: PHOTOS }, (_, i) => ({
  name: `p${i}.jpg`,
  photo: largeJpeg(4_000, 520 + (i % 300), 1000 + Math.floor(i / 300)),
}));

function saver(world) {
  let bytes = 0;
  const save = async ({ url, JobId }) => {
    const { body } = await openVideo(url, { fetch: (input, init) => world.emulator.fetch(new Request(input, init)) });
    const size = (await new Response(body).arrayBuffer()).byteLength;
    bytes += size;
    return { location: JobId, bytes: size };
  };
  return { save, bytes: () => bytes };
}

function busiest(world, action) {
  const perSecond = new Map();
  for (const call of world.calls)
    if (call.action === action) perSecond.set(Math.floor(call.at / 1000), (perSecond.get(Math.floor(call.at / 1000)) ?? 0) + 1);
  return Math.max(0, ...perSecond.values());
}

function row(name, world, saved, wallMs, heapBytes) {
  const submits = world.calls.filter((call) => call.action === "SubmitImageAnimateJob").length;
  const describes = world.calls.length - submits;
  const total = world.elapsed() / 1000;
  const bound = (PHOTOS / LIMIT) * JOB_SECONDS;
  return {
    "": name,
    "videos saved": saved,
    "total (virtual s)": Math.round(total),
    "vs lower bound 30,037 s": `${((total / bound - 1) * 100).toFixed(1)}% over`,
    "Submit calls": submits,
    "refused (JobNumExceed)": submits - PHOTOS,
    "Describe calls per job": (describes / PHOTOS).toFixed(1),
    "busiest second, Submit / Describe": `${busiest(world, "SubmitImageAnimateJob")} / ${busiest(world, "DescribeImageAnimateJob")}`,
    "heap after (MB)": (heapBytes / 1e6).toFixed(1),
    "wall time (s)": (wallMs / 1000).toFixed(1),
  };
}

async function ours() {
  const world = virtualWorld({ schedule, limits });
  const { save } = saver(world);
  const started = performance.now();
  let report;
  animateMany(world.client, photos, { journal: await memoryJournal(), save, clock: world.clock }).then((r) => (report = r));
  await world.run(() => report !== undefined);
  globalThis.gc?.();
  return row(
    "@vclm/batch animateMany (learns the limit)",
    world,
    report.counts.saved,
    performance.now() - started,
    process.memoryUsage().heapUsed,
  );
}

async function byHand() {
  const world = virtualWorld({ schedule, limits });
  const { save } = saver(world);
  const started = performance.now();
  let next = 0;
  let saved = 0;
  const worker = async () => {
    while (next < PHOTOS) {
      const { photo, name } = photos[next++];
      let JobId;
      while (!JobId) {
        try {
          ({ JobId } = await world.client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo }));
        } catch (error) {
          if (error.code !== "RequestLimitExceeded.JobNumExceed") throw error;
          await world.sleep(10_000);
        }
      }
      for (;;) {
        await world.sleep(10_000);
        const job = await world.client.send(DescribeImageAnimateJob, { JobId });
        if (job.Status === "DONE") {
          await save({ url: job.ResultVideoUrl, JobId, name });
          saved++;
          break;
        }
      }
    }
  };
  let done = false;
  Promise.all(Array.from({ length: LIMIT }, worker)).then(() => (done = true));
  await world.run(() => done);
  globalThis.gc?.();
  return row(
    "by hand: 10 workers, check every 10 s (told the limit)",
    world,
    saved,
    performance.now() - started,
    process.memoryUsage().heapUsed,
  );
}

globalThis.gc?.();
const rows = [await ours(), await byHand()];
console.log(
  `\n@vclm/batch on Node ${process.versions.node}: ${PHOTOS.toLocaleString("en-US")} photos, ${JOB_SECONDS} s jobs, ${LIMIT} concurrent jobs, 20 requests/s, the emulator's clock`,
);
console.table(rows);
process.exit(0);
