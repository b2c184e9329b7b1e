// The money promise, checked on what a batch left: the account's jobs, the folder's files and the
// last report. Each broken rule is a line of the error, with the end of the trace to see how.
import type { BatchReport } from "../../src/index.js";
import { type BatchWorld, type Life, OUT } from "./world.js";

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => a !== undefined && b !== undefined && Buffer.compare(a, b) === 0;

/**
 * Checks the promise. Always: no photo has two jobs (the user resubmits only after seeing none);
 * every job is saved, or reported with its JobId, or maybe-submitted; no
 * file holds another photo's video or part of one (without a report, between lives: only the
 * jobs and the files). With `allSaved`: every photo ends saved, one job each.
 */
export function checkPromise(world: BatchWorld, report: BatchReport | undefined, { allSaved = false } = {}): string[] {
  const broken: string[] = [];
  const jobs = world.jobsByPhoto();
  for (const [name, ids] of jobs) if (ids.length > 1) broken.push(`${name} has ${ids.length} jobs: ${ids.join(", ")}`);
  for (const [name] of jobs) if (name.startsWith("?")) broken.push(`a job for a photo not in the batch (${name})`);
  const outcome = new Map(report?.photos.map((photo) => [photo.name, photo]) ?? []);
  for (const [name, ids] of report ? jobs : []) {
    const photo = outcome.get(name);
    const known = photo && (photo.outcome === "maybe-submitted" || (photo.JobId !== undefined && ids.includes(photo.JobId)));
    if (!known)
      broken.push(
        `${name}'s job ${ids.join(", ")} is not in the report (${photo ? `${photo.outcome}, JobId ${photo.JobId}` : "no entry"})`,
      );
  }
  // Files: each video file is the whole video of the photo it is named for.
  const expected = new Map<string, Uint8Array | undefined>();
  for (const [name, ids] of jobs) if (ids.length === 1) expected.set(name, world.videos.get(ids[0] as string));
  const files = world.disk.list(OUT).filter((file) => file.endsWith(".mp4"));
  for (const file of files) {
    const name = `${file.replace(/-ke3(-\d+)?\.mp4$/, "")}.png`;
    const bytes = world.disk.read(`${OUT}/${file}`);
    if (!same(bytes, expected.get(name)))
      broken.push(`${file} is not ${name}'s whole video (${bytes?.length} bytes, expected ${expected.get(name)?.length ?? "no video"})`);
    if (/-\d+\.mp4$/.test(file)) broken.push(`${file}: a second file for one photo`);
  }
  for (const photo of report?.photos ?? []) {
    if (photo.outcome !== "saved") continue;
    const { location } = photo;
    if (!location || !same(world.disk.read(location), expected.get(photo.name)))
      broken.push(`${photo.name} is reported saved at ${location}, which does not hold its video`);
  }
  if (allSaved) {
    for (const photo of world.list) {
      const entry = outcome.get(photo.name);
      if (entry?.outcome !== "saved")
        broken.push(`${photo.name} ended ${entry?.outcome ?? "without an entry"}${entry?.message ? `: ${entry.message}` : ""}`);
      if ((jobs.get(photo.name)?.length ?? 0) !== 1) broken.push(`${photo.name} has ${jobs.get(photo.name)?.length ?? 0} jobs, not 1`);
    }
    const parts = world.disk.list(OUT).filter((file) => file.endsWith(".part"));
    if (parts.length) broken.push(`parts left after every video was saved: ${parts.join(", ")}`);
  }
  return broken;
}

/** Throws the broken rules with the lives' endings and the trace's end. */
export function assertKept(world: BatchWorld, broken: string[]): void {
  if (!broken.length) return;
  const lives = world.lives.map(
    (life, i) =>
      `life ${i + 1} (pid ${life.process.pid}, ${life.process.ops} ops): ${life.crashed ? "crashed" : life.error ? `error: ${(life.error as Error).message}` : JSON.stringify(life.report?.counts)}`,
  );
  throw new Error(
    `the promise broke:\n- ${broken.join("\n- ")}\n${lives.join("\n")}\ntrace (last 40):\n${world.sim.trace.slice(-40).join("\n")}`,
  );
}

/**
 * Runs the command again as a user would: the same command, then, while its report asks, once
 * more after checking the account (`--adopt` for a photo the account shows a job for,
 * `--resubmit-unsure` for the others). Then every photo must be saved once, and stay so through a
 * power loss right after. `last`: a life that already ended (not crashed), to go on from.
 */
export async function rerunUntilSaved(world: BatchWorld, context: string, last?: Life): Promise<void> {
  let life = last ?? (await world.life());
  for (let again = 0; again < 3; again++) {
    const next = world.afterChecking(life.report);
    if (!next && !life.error) break;
    life = await world.life(next ?? {});
  }
  try {
    assertKept(world, checkPromise(world, life.report, { allSaved: true }));
    world.disk.crash("power"); // what a run reports saved is on the disk
    assertKept(world, checkPromise(world, life.report, { allSaved: true }));
  } catch (error) {
    throw new Error(`${context}\n${(error as Error).message}`);
  }
}
