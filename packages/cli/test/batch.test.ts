// Many photos through the real CLI process against an emulator on loopback, killed with SIGKILL at
// random moments and resumed by running the same command again. What is counted, per run: photos,
// jobs the emulator created, photos with two jobs (must be 0), and paid jobs that have neither a
// saved video nor a line in the final report (must be 0).
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PhotoOutcome } from "@vclm/batch";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { makePng } from "@vclm/tools/photos";
import { afterAll, describe, expect, it } from "vitest";

const bin = new URL("../bin/vclm.js", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "vclm-batch-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder of `count` distinct photos; and each photo's key as the emulator stores it (SHA-256 of its base64). */
function photoFolder(name: string, count: number) {
  const folder = join(root, name, "photos");
  const keyToName = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const bytes = makePng(600 + i, 1000);
    if (i === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `p${String(i).padStart(2, "0")}.png`), bytes, { flag: "w" });
    keyToName.set(createHash("sha256").update(Buffer.from(bytes).toString("base64")).digest("hex"), `p${String(i).padStart(2, "0")}.png`);
  }
  return { folder, out: join(root, name, "videos"), keyToName };
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; with `killAfter`, SIGKILLs it that many ms after start (if it is still running). */
function vclm(args: string[], url: string, { killAfter }: { killAfter?: number } = {}): Promise<Run> {
  const child: ChildProcess = spawn(process.execPath, [bin, ...args, "--endpoint", url], {
    env: { ...process.env, TENCENTCLOUD_SECRET_ID: DEMO_ACCOUNT.secretId, TENCENTCLOUD_SECRET_KEY: DEMO_ACCOUNT.secretKey },
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => (stdout += chunk));
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  const timer = killAfter === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfter);
  return new Promise((resolve) =>
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

/** The counts of one batch after its final run. */
function countOf(running: RunningEmulator, keyToName: Map<string, string>, out: string, report: { photos: PhotoOutcome[] }) {
  const byName = new Map(report.photos.map((photo) => [photo.name, photo]));
  const jobsPerPhoto = new Map<string, number>();
  let unreported = 0;
  for (const job of running.emulator.jobs.all()) {
    const name = keyToName.get(job.photo);
    if (!name) throw new Error(`a job for a photo that is not in the batch: ${job.id}`);
    jobsPerPhoto.set(name, (jobsPerPhoto.get(name) ?? 0) + 1);
    const outcome = byName.get(name);
    const savedVideo = outcome?.outcome === "saved" && statSync(outcome.location as string).size === outcome.bytes;
    const reported = outcome && outcome.outcome !== "saved" && outcome.outcome !== "refused";
    if (!savedVideo && !reported) unreported++;
  }
  return {
    photos: keyToName.size,
    jobs: [...jobsPerPhoto.values()].reduce((a, b) => a + b, 0),
    doubled: [...jobsPerPhoto.values()].filter((n) => n > 1).length,
    videos: readdirSync(out).filter((file) => file.endsWith(".mp4")).length,
    maybe: report.photos.filter((photo) => photo.outcome === "maybe-submitted").length,
    unreported,
  };
}

describe("vclm animate DIR --out-dir OUT", () => {
  it("20 photos in a fresh folder, killed once and resumed: 20 videos, 20 jobs, none twice", async () => {
    const running = await startEmulator({ schedule: { waitMs: 300, runMs: 1_200 }, limits: { concurrentJobs: 5 } });
    try {
      const { folder, out, keyToName } = photoFolder("twenty", 20);
      const first = vclm(["animate", folder, "--out-dir", out], running.url);
      // Killed once the batch is well under way: some videos saved, others running.
      const videos = () => (existsSync(out) ? readdirSync(out).filter((file) => file.endsWith(".mp4")).length : 0);
      while (videos() < 3) await new Promise((resolve) => setTimeout(resolve, 20));
      // The lock's highest claim names the process that holds it.
      const lock = join(out, ".vclm-journal.jsonl.lock");
      const claim = Math.max(
        ...readdirSync(lock)
          .filter((name) => /^\d+$/.test(name))
          .map(Number),
      );
      const pid = readFileSync(join(lock, String(claim)), "utf8").split(" ")[0];
      process.kill(Number(pid), "SIGKILL");
      expect((await first).signal).toBe("SIGKILL");
      expect(videos()).toBeLessThan(20);
      let final = await vclm(["animate", folder, "--out-dir", out, "--json"], running.url);
      let report = JSON.parse(final.stdout);
      // A Submit in flight at the kill is "maybe submitted" (exit 3). The user checks the account
      // (here the emulator is the account): a photo with a job is adopted, the others resubmitted.
      if (final.code === 3) {
        const jobOf = new Map([...running.emulator.jobs.all()].map((job) => [keyToName.get(job.photo), job.id]));
        const unsure = report.photos.filter((photo: PhotoOutcome) => photo.outcome === "maybe-submitted");
        const adopt = unsure.flatMap((photo: PhotoOutcome) =>
          jobOf.has(photo.name) ? ["--adopt", `${photo.name}=${jobOf.get(photo.name)}`] : [],
        );
        final = await vclm(["animate", folder, "--out-dir", out, "--json", ...adopt, "--resubmit-unsure"], running.url);
        report = JSON.parse(final.stdout);
      }
      expect(final.code).toBe(0);
      expect(report.counts.saved).toBe(20);
      expect(countOf(running, keyToName, out, report)).toEqual({ photos: 20, jobs: 20, doubled: 0, videos: 20, maybe: 0, unreported: 0 });
      // Every video is the whole video.
      const size = readdirSync(out)
        .filter((file) => file.endsWith(".mp4"))
        .map((file) => statSync(join(out, file)).size);
      expect(new Set(size).size).toBe(1);
      expect(readdirSync(out).filter((file) => file.includes(".part") || file.startsWith(".vclm-probe"))).toEqual([]);
    } finally {
      await running.close();
    }
  }, 120_000);

  it("24 batches killed with SIGKILL at random moments (twice in some) and resumed: no photo has two jobs, no paid job goes unreported", async () => {
    const rows: Record<string, number | string>[] = [];
    let seed = 20261128;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const plans = Array.from({ length: 24 }, (_, run) => ({
      run,
      kills: [150 + Math.round(random() * 3_000), ...(random() < 0.5 ? [100 + Math.round(random() * 1_500)] : [])],
    }));
    async function one({ run, kills }: (typeof plans)[number]) {
      // The fixed sample video (27 KB) rather than one made from each photo: these runs are about the journal.
      const running = await startEmulator({ schedule: { waitMs: 200, runMs: 600 }, limits: { concurrentJobs: 2 }, photoVideos: false });
      try {
        const { folder, out, keyToName } = photoFolder(`crash-${run}`, 6);
        const args = ["animate", folder, "--out-dir", out, "--json"];
        let killed = 0;
        for (const killAfter of kills) if ((await vclm(args, running.url, { killAfter })).signal === "SIGKILL") killed++;
        const final = await vclm(args, running.url);
        const report = JSON.parse(final.stdout);
        expect([0, 3]).toContain(final.code);
        const counts = countOf(running, keyToName, out, report);
        rows.push({ run, "killed at (ms)": kills.join(" + "), "kills that landed": killed, ...counts, "exit code": final.code ?? "" });
        return counts;
      } finally {
        await running.close();
      }
    }
    for (let group = 0; group < plans.length; group += 6) await Promise.all(plans.slice(group, group + 6).map(one));
    rows.sort((a, b) => Number(a.run) - Number(b.run));
    console.table(rows);
    const total = (field: string) => rows.reduce((sum, row) => sum + Number(row[field]), 0);
    console.log(
      `crash runs: ${rows.length}, kills landed ${total("kills that landed")}, photos ${total("photos")}, jobs ${total("jobs")}, doubled ${total("doubled")}, maybe ${total("maybe")}, unreported ${total("unreported")}, videos ${total("videos")}`,
    );
    expect(total("kills that landed")).toBeGreaterThanOrEqual(20);
    expect(total("doubled")).toBe(0);
    expect(total("unreported")).toBe(0);
    // Every photo ends saved or reported as maybe-submitted (none refused, none left unfinished).
    expect(total("videos") + total("maybe")).toBe(total("photos"));
  }, 240_000);
});
