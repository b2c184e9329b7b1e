// The shared journal's state at its edges, in one process with several journals (one per "process"
// of the fleet), a real redis-server and the emulator:
// - Redis full (maxmemory reached, noeviction): every write is refused; the batch sends no Submit
//   and says why, naming Redis; nothing half-written is left;
// - a process stopped by its signal (Ctrl-C, SIGTERM) in the middle of its batch: the jobs it paid
//   for are taken over by another, and no photo is paid twice;
// - two names for one photo, in two processes: one job, and both report it saved.
import { animateMany, BatchInterruptedError } from "@vclm/batch";
import { saveToDirectory } from "@vclm/batch/node";
import { systemClock } from "@vclm/core";
import { expect, it } from "vitest";
import { redisAccountLimits, redisJournal } from "../../src/index.js";
import { photo, useWorld } from "./world.js";

const w = useWorld();

async function process_(name: string, photos: { name: string; photo: Uint8Array }[], signal?: AbortSignal) {
  const command = w.command();
  const journal = await redisJournal(command, name, { aliveMs: 1_500 });
  try {
    return await animateMany(w.client(), photos, {
      journal,
      limits: redisAccountLimits(command, { account: name }),
      ...(await saveToDirectory(`${w.world.root}/${name}/${journal.holder}`)),
      ...(signal && { signal }),
    }).catch((error: { report?: unknown }) => error);
  } finally {
    await journal.close();
  }
}

it("Redis full (maxmemory, noeviction): no Submit is sent, the batch says Redis refused, and nothing is recorded", async () => {
  const name = crypto.randomUUID();
  const admin = w.connect();
  const photos = [photo(300), photo(301)];
  const command = w.command();
  const journal = await redisJournal(command, name);
  await admin.call("CONFIG", "SET", "maxmemory", "1");
  let report: Awaited<ReturnType<typeof animateMany>>;
  try {
    report = await animateMany(w.client(), photos, {
      journal,
      limits: redisAccountLimits(command, { account: name }),
      ...(await saveToDirectory(`${w.world.root}/${name}`)),
      // Its pauses (about 2 minutes of them before it gives up) 100 times shorter: no job runs here.
      clock: { ...systemClock, sleep: (ms, signal) => systemClock.sleep(ms / 100, signal) },
    });
  } finally {
    await admin.call("CONFIG", "SET", "maxmemory", "0");
    await journal.close();
  }
  expect(photos.map((p) => w.jobsPerPhoto().get(p.job) ?? 0)).toEqual([0, 0]);
  expect(report.submitted).toBe(0);
  expect(report.stopped).toMatch(/Redis did not .*OOM/);
  expect(await w.command()(["EXISTS", `vclm:journal:{${name}}:log`])).toBe(0);
}, 60_000);

it("a process stopped by its signal mid-batch: another takes over the jobs it paid for, and no photo is paid twice", async () => {
  const name = crypto.randomUUID();
  const photos = Array.from({ length: 12 }, (_, i) => photo(310 + i));
  const stop = new AbortController();
  const first = process_(name, photos, stop.signal);
  // Stopped (Ctrl-C) once its first jobs are submitted; the second starts while it winds down.
  while (photos.every((p) => !w.jobsPerPhoto().has(p.job))) await new Promise((resolve) => setTimeout(resolve, 20));
  stop.abort(new Error("SIGTERM"));
  const second = await process_(name, [...photos].reverse());
  const stopped = await first;
  const jobs = photos.map((p) => w.jobsPerPhoto().get(p.job) ?? 0);
  expect(jobs.filter((n) => n > 1)).toEqual([]);
  expect(jobs.every((n) => n === 1)).toBe(true);
  expect((second as { counts: Record<string, number> }).counts.saved).toBe(photos.length);
  // The first was stopped, having paid for some; the second submitted only the rest.
  expect(stopped).toBeInstanceOf(BatchInterruptedError);
  const paidByFirst = (stopped as BatchInterruptedError).report.submitted;
  expect(paidByFirst).toBeGreaterThan(0);
  expect((second as { submitted: number }).submitted).toBe(photos.length - paidByFirst);
}, 120_000);

it("two names for one photo in two processes: one job, and both report it saved", async () => {
  const name = crypto.randomUUID();
  const same = photo(330);
  const [a, b] = await Promise.all([
    process_(name, [{ name: "alice.jpg", photo: same.photo }]),
    process_(name, [{ name: "alice-copy.jpg", photo: same.photo }]),
  ]);
  expect(w.jobsPerPhoto().get(same.job)).toBe(1);
  for (const report of [a, b]) expect((report as { photos: { outcome: string }[] }).photos[0]?.outcome).toBe("saved");
}, 60_000);
