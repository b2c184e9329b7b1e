// A batch's world inside one runtime: the emulator as an in-process fetch handler, a client sending
// to it, and a clock that jumps ahead whenever the batch sleeps (after letting pending work run),
// so jobs of seconds finish in milliseconds. Shared by the batch probes.
import { inProcess } from "./in-process.js";

export function batchWorld() {
  const world = inProcess({ clock: "manual", schedule: { waitMs: 1_000, runMs: 4_000 }, limits: { concurrentJobs: 2 } });
  const { emulator, fetch } = world;
  const client = world.client();
  let now = emulator.clock.now();
  const sleep = async (ms, signal) => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    signal?.throwIfAborted();
    now += Math.max(0, ms);
    emulator.clock.set(now);
    client.state.clockOffset = Math.round((now - Date.now()) / 1000);
  };
  /** The emulator's jobs, and photos with more than one. */
  const counts = () => {
    const perPhoto = new Map();
    for (const job of emulator.jobs.all()) perPhoto.set(job.photo, (perPhoto.get(job.photo) ?? 0) + 1);
    return { jobs: emulator.jobs.size, doubled: [...perPhoto.values()].filter((n) => n > 1).length };
  };
  return { emulator, fetch, client, now: () => now, sleep, clock: { now: () => now, sleep, random: Math.random }, counts };
}

/**
 * Runs a batch, stopped after `stopAfter` Submits, then again with the same journal, opened anew
 * for each run by `open` (as a new process would) and let go of by its `close`.
 */
export async function stopAndResume({ animateMany, photos, open, save, checkSaved, world, stopAfter = 3 }) {
  const stop = new AbortController();
  let submitted = 0;
  const options = { save, checkSaved, clock: world.clock };
  const first = await open();
  const stopped = await animateMany(world.client, photos, {
    ...options,
    journal: first,
    signal: stop.signal,
    onEvent: (event) => event.type === "submitted" && ++submitted === stopAfter && stop.abort(new Error("stopped")),
  }).catch((error) => error.cause?.message ?? error.message); // a BatchInterruptedError: its cause is the signal's reason
  await first.close?.();
  const jobsAtStop = world.counts().jobs;
  const second = await open();
  const report = await animateMany(world.client, photos, { ...options, journal: second });
  await second.close?.();
  return { stopped, jobsAtStop, saved: report.counts.saved, submittedOnResume: report.submitted, ...world.counts() };
}
