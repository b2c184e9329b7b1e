// Four Node processes run animateMany over the same 200 photos (each the whole list, in its own
// order) with the journal and the account's limits in a real redis-server, against the emulator
// (10 jobs at once, 20 requests a second per action) behind a proxy that logs every call. Then the
// same with one process SIGKILLed mid-run and started again, and with Redis SIGKILLed mid-run and
// started again (AOF, fsync always).
import { join } from "node:path";
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BatchProcess,
  busiestSecond,
  photoFolder,
  remove,
  startBatchProcess,
  startService,
  tempRoot,
  videosIn,
} from "./fleet/fleet.js";

const PHOTOS = Number(process.env.FLEET_PHOTOS ?? 200);
let redis: RedisServer;
let service: Awaited<ReturnType<typeof startService>>;
let root: string;
let photos: string;

beforeAll(async () => {
  [redis, service, root] = await Promise.all([startRedisServer(), startService(), tempRoot()]);
  photos = await photoFolder(root, PHOTOS);
}, 120_000);
afterAll(async () => {
  await Promise.all([service?.close(), redis?.stop()]);
  if (root) await remove(root);
});

/** Jobs the emulator made for this run's photos, per photo. */
const jobsPerPhoto = (since: number) => {
  const perPhoto = new Map<string, number>();
  for (const job of service.emulator.emulator.jobs.all())
    if (job.createdAt >= since) perPhoto.set(job.photo, (perPhoto.get(job.photo) ?? 0) + 1);
  return perPhoto;
};

interface Report {
  holder: string;
  counts: Record<string, number>;
  submitted: number;
  photos: { name: string; outcome: string; JobId?: string; location?: string; message?: string }[];
}
const reportOf = (process: BatchProcess) => process.lines.find((line) => "counts" in line) as unknown as Report | undefined;

async function fleetRun(name: string, during?: (processes: BatchProcess[], folders: string[]) => Promise<void>) {
  const since = service.emulator.emulator.clock.now();
  const callsBefore = service.calls.length;
  const folders = [0, 1, 2, 3].map((i) => join(root, name, `out-${i}`));
  const env = (i: number) => ({
    REDIS_URL: redis.url,
    VCLM_ENDPOINT: service.url,
    PHOTOS: photos,
    OUT: folders[i] as string,
    JOURNAL: name,
    SEED: String(i + 1),
    ALIVE_MS: "5000",
    LEASE_MS: "6000",
  });
  const processes = [0, 1, 2, 3].map((i) => startBatchProcess(env(i)));
  await during?.(processes, folders);
  const restarted = processes.map((process, i) => (process.child.signalCode === "SIGKILL" ? startBatchProcess(env(i)) : undefined));
  const ends = await Promise.all([...processes, ...restarted.flatMap((p) => (p ? [p] : []))].map((process) => process.exited));
  const calls = service.calls.slice(callsBefore);
  return { since, processes, restarted, ends, folders, calls, jobs: jobsPerPhoto(since) };
}

/** Every process ended well, one job per photo, every photo saved in every report, the Submits one per photo. */
function expectWhole(run: Awaited<ReturnType<typeof fleetRun>>): Report[] {
  for (const end of run.ends) expect(end, end.stderr).toMatchObject({ code: 0 });
  // What each process said of the photos it did not report saved, to read when a check below fails.
  const unsaved = run.processes.flatMap((process) => (reportOf(process)?.photos ?? []).filter((photo) => photo.outcome !== "saved"));
  expect(run.jobs.size, JSON.stringify(unsaved)).toBe(PHOTOS);
  expect([...run.jobs.values()].filter((n) => n > 1)).toEqual([]);
  const reports = run.processes.map(reportOf) as Report[];
  for (const report of reports) expect(report.counts.saved).toBe(PHOTOS);
  expect(reports.reduce((sum, report) => sum + report.submitted, 0)).toBe(PHOTOS);
  return reports;
}

/** The run's calls, as the service saw them: how many, and the busiest second of each action. */
const callsOf = ({ calls }: { calls: readonly { action: string }[] & Parameters<typeof busiestSecond>[0] }) => ({
  submits: calls.filter((call) => call.action === "SubmitImageAnimateJob").length,
  describes: calls.filter((call) => call.action === "DescribeImageAnimateJob").length,
  busiest: { submit: busiestSecond(calls, "SubmitImageAnimateJob"), describe: busiestSecond(calls, "DescribeImageAnimateJob") },
});

/** Photos the fleet has started to submit. */
const submitting = (processes: readonly BatchProcess[]) =>
  processes.reduce((sum, p) => sum + p.lines.filter((line) => "submitting" in line).length, 0);

describe("four processes, one photo list, one Redis", () => {
  it(`${PHOTOS} photos: ${PHOTOS} jobs, none paid twice, every video saved once, no second over 20 calls of an action`, async () => {
    const run = await fleetRun("plain");
    const reports = expectWhole(run);
    expect(reports.filter((report) => report.submitted > 0).length).toBeGreaterThan(1);
    // Each video is in exactly one process's folder, once.
    const videos = await videosIn(run.folders);
    expect(videos).toHaveLength(PHOTOS);
    // One Submit per photo: the fleet's slots are the account's, so none was refused as full (JobNumExceed).
    expect(run.calls.filter((call) => call.action === "SubmitImageAnimateJob")).toHaveLength(PHOTOS);
    expect(busiestSecond(run.calls, "SubmitImageAnimateJob")).toBeLessThanOrEqual(20);
    expect(busiestSecond(run.calls, "DescribeImageAnimateJob")).toBeLessThanOrEqual(20);
    console.log(JSON.stringify({ run: "plain", submittedBy: reports.map((report) => report.submitted), ...callsOf(run) }));
  }, 300_000);

  it("one process SIGKILLed mid-Submit and started again: 0 photos paid twice; its Submit in flight is maybe-submitted for every process, never sent again", async () => {
    // Submits take 400 ms, so a process is killed with its Submit in flight.
    service.emulator.emulator.scenarios.latency(400, { actions: ["SubmitImageAnimateJob"] });
    let inFlight = "";
    const run = await fleetRun("killed", async (processes) => {
      const victim = processes[1] as BatchProcess;
      const victims = () => victim.lines.filter((line) => "submitting" in line);
      while (submitting(processes) < PHOTOS / 3 || victims().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const seen = victims().length;
      while (victims().length === seen) await new Promise((resolve) => setTimeout(resolve, 2));
      victim.child.kill("SIGKILL");
      inFlight = (victims().at(-1) as { submitting: string }).submitting;
      await victim.exited;
      service.emulator.emulator.scenarios.latency(0);
    });
    expect(run.ends[1]).toMatchObject({ signal: "SIGKILL" });
    for (const end of run.ends.filter((_, i) => i !== 1)) expect(end, end.stderr).toMatchObject({ code: 0 });
    expect([...run.jobs.values()].filter((n) => n > 1)).toEqual([]);
    expect(run.jobs.size).toBeGreaterThanOrEqual(PHOTOS - 1);
    const reports = [...run.processes.filter((_, i) => i !== 1), ...run.restarted.filter((p) => p !== undefined)].map(reportOf) as Report[];
    expect(reports).toHaveLength(4);
    for (const report of reports) {
      expect(report.photos.find((photo) => photo.name === inFlight)?.outcome).toBe("maybe-submitted");
      expect(report.counts.saved).toBe(PHOTOS - 1);
      expect(report.counts["maybe-submitted"]).toBe(1);
    }
    console.log(
      JSON.stringify({
        run: "killed",
        inFlight,
        jobsForIt: run.jobs.size - (PHOTOS - 1),
        submittedBy: reports.map((report) => report.submitted),
        ...callsOf(run),
      }),
    );
  }, 300_000);

  it("Redis SIGKILLed mid-run, away for 6 s, and started again from its AOF: 0 photos paid twice, every photo saved", async () => {
    const run = await fleetRun("redis-restart", async (processes) => {
      while (submitting(processes) < PHOTOS / 3) await new Promise((resolve) => setTimeout(resolve, 20));
      // Down for longer than a heartbeat lasts (ALIVE_MS): every process looks gone when it is back.
      await redis.stop({ kill: true, keepData: true });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      await redis.restart();
    });
    const reports = expectWhole(run);
    console.log(JSON.stringify({ run: "redis-restart", submittedBy: reports.map((report) => report.submitted), ...callsOf(run) }));
  }, 300_000);
});
