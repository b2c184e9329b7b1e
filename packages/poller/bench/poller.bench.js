// `pnpm bench` for @vclm/poller, on the emulator's clock (virtual time: hours simulated in seconds).
// 1. One job lasting 10 s, 60 s or 300 s: Describe calls made, and the lag between the job finishing
//    and the caller knowing, for the poller with no prior, the poller with the prior it learns from
//    one previous job (JobTracker does this itself), and fixed 1 s and 10 s intervals.
// 2. 10,000 jobs of 300 s at once under 20 requests/s: the highest rate in any second, all finished,
//    the lag distribution, and the memory per tracked job.
import { DescribeImageAnimateJob } from "@vclm/core";
import { DurationEstimate, JobTracker, waitForJob } from "../dist/index.js";
import { virtualWorld } from "./virtual-time.js";

const newJob = (world, seconds) =>
  world.emulator.jobs.create({
    accountId: "100000000001",
    createdAt: world.now(),
    waitMs: seconds * 200,
    runMs: seconds * 800,
    templateId: "ke3",
    photo: "p",
    segment: false,
  }).id;

// Lengths are not whole seconds: a job does not end in step with anyone's polling interval.
async function measure(seconds, strategy) {
  const world = virtualWorld();
  const JobId = newJob(world, seconds);
  const doneAt = world.now() + seconds * 1000;
  let noticed;
  const fixed = async (interval) => {
    for (;;) {
      const { Status } = await world.client.send(DescribeImageAnimateJob, { JobId });
      if (Status === "DONE") return;
      await world.sleep(interval);
    }
  };
  const learnt = new DurationEstimate();
  learnt.observe(seconds * 1000); // one previous job of this kind, as JobTracker learns it
  const run = {
    "poller, no prior": () => waitForJob(world.client, JobId, { clock: world.clock }),
    "poller, prior learnt from one job": () => waitForJob(world.client, JobId, { clock: world.clock, expectedDuration: learnt.value }),
    "fixed 1 s": () => fixed(1_000),
    "fixed 10 s": () => fixed(10_000),
  }[strategy];
  run().then(() => (noticed = world.now()));
  await world.run(() => noticed !== undefined);
  return { calls: world.describes.length, lag: (noticed - doneAt) / 1000 };
}

const rows = [];
for (const seconds of [10.37, 60.37, 300.37]) {
  const results = {};
  for (const strategy of ["poller, no prior", "poller, prior learnt from one job", "fixed 1 s", "fixed 10 s"])
    results[strategy] = await measure(seconds, strategy);
  for (const [strategy, { calls, lag }] of Object.entries(results)) {
    rows.push({
      "job length": `${seconds} s`,
      strategy,
      "Describe calls": calls,
      "lag (s)": lag.toFixed(1),
      "lag budget: 10%, at least 1 s": Math.max(1, seconds * 0.1).toFixed(1),
      "calls vs fixed 1 s": `${(results["fixed 1 s"].calls / calls).toFixed(1)}x fewer`,
    });
  }
}
console.log(`\n@vclm/poller on Node ${process.versions.node}: one job, the emulator's clock`);
console.table(rows);

// 2. Many jobs.
const JOBS = 10_000;
const world = virtualWorld();
const ids = Array.from({ length: JOBS }, () => newJob(world, 300));
const doneAt = world.now() + 300_000;
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const tracker = new JobTracker(world.client, { requestsPerSecond: 20, clock: world.clock });
const lags = [];
let finished = 0;
for (const id of ids)
  tracker.track(id).then(() => {
    lags.push((world.now() - doneAt) / 1000);
    finished++;
  });
globalThis.gc?.();
const perJob = (process.memoryUsage().heapUsed - heapBefore) / JOBS;
await world.run(() => finished === JOBS);
const perSecond = new Map();
for (const at of world.describes) {
  const second = Math.floor((at - world.start) / 1000);
  perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
}
lags.sort((a, b) => a - b);
const pct = (p) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))].toFixed(0);
console.log(`\n${JOBS.toLocaleString("en-US")} jobs of 300 s, submitted together, tracked under 20 requests/s:`);
console.table([
  {
    finished,
    "Describe calls": world.describes.length,
    "calls per job": (world.describes.length / JOBS).toFixed(2),
    "max requests in any second": Math.max(...perSecond.values()),
    "lag p50 (s)": pct(0.5),
    "lag p90 (s)": pct(0.9),
    "lag p99 (s)": pct(0.99),
    "lag max (s)": pct(1),
    "memory per tracked job (B)": Math.round(perJob),
  },
]);
console.log(
  `(20 requests/s can look at ${JOBS.toLocaleString("en-US")} jobs once every ${JOBS / 20} s at best: that, not the poller, bounds the lag here.)`,
);
process.exit(0);
