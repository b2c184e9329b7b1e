// `vclm animate DIR --out-dir OUT` as people run it: the real binary against an emulator on
// loopback, its stderr a pipe (a log), as in CI or under nohup.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { makePng } from "@vclm/tools/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = new URL("../bin/vclm.js", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "vclm-batch-edges-"));
let running: RunningEmulator;
beforeAll(async () => {
  running = await startEmulator({ schedule: { waitMs: 100, runMs: 300 }, photoVideos: false });
});
afterAll(async () => {
  await running.close();
  rmSync(root, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function vclm(args: string[]): Promise<Result> {
  const env = { ...process.env, TENCENTCLOUD_SECRET_ID: DEMO_ACCOUNT.secretId, TENCENTCLOUD_SECRET_KEY: DEMO_ACCOUNT.secretKey };
  return promisify(execFile)(process.execPath, [bin, ...args, "--endpoint", running.url], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** A folder of `count` distinct photos named p0.png..., plus the files given. */
function folder(name: string, count: number, from = 0): string {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(path, `p${i}.png`), makePng(600 + from + i, 1000));
  return path;
}

const lines = (text: string) => text.split("\n").filter(Boolean);

describe("vclm animate --out-dir: what it says", () => {
  it("in a log, at most one line per photo by default (its JobId), every event with --verbose, nothing with --quiet", async () => {
    const photos = folder("log", 10);
    const plain = await vclm(["animate", photos, "--out-dir", join(root, "log-out")]);
    expect(plain.code).toBe(0);
    expect(lines(plain.stderr).length).toBeLessThanOrEqual(10);
    for (const line of lines(plain.stderr)) expect(line).toMatch(/^p\d\.png: submitted, job \d+$/);
    const verbose = await vclm(["animate", folder("log-v", 10, 100), "--out-dir", join(root, "log-v-out"), "--verbose"]);
    for (const what of ["submitting", "submitted", "saving", "saved"])
      expect(lines(verbose.stderr).filter((line) => line.includes(`: ${what}`)).length).toBeGreaterThanOrEqual(10);
    const quiet = await vclm(["animate", folder("log-q", 10, 200), "--out-dir", join(root, "log-q-out"), "--quiet"]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe("");
    expect(await vclm(["animate", photos, "--out-dir", join(root, "x"), "--quiet", "--verbose"])).toMatchObject({ code: 2 });
  });

  it("the report names each photo's file; photos with the same bytes say whose video they share, counted once", async () => {
    const photos = folder("same", 2);
    copyFileSync(join(photos, "p0.png"), join(photos, "p0-copy.png"));
    const out = join(root, "same-out");
    const result = await vclm(["animate", photos, "--out-dir", out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^3 photos \(2 distinct: 1 with the same bytes as another share its video\): 2 videos saved in /);
    const [, first, second, third] = lines(result.stdout);
    expect(first).toMatch(new RegExp(`^  p0-copy\\.png: ${out}/p0-copy-ke3\\.mp4 \\(job \\d+\\)$`));
    expect(second).toMatch(new RegExp(`^  p0\\.png: ${out}/p0-copy-ke3\\.mp4 \\(job \\d+\\), the same photo as p0-copy\\.png$`));
    expect(third).toMatch(new RegExp(`^  p1\\.png: ${out}/p1-ke3\\.mp4 \\(job \\d+\\)$`));
    expect(readdirSync(out).filter((name) => name.endsWith(".mp4"))).toHaveLength(2);
  });

  it("an --out-dir that is a file is a mistake in the call (exit 2), before anything is sent", async () => {
    const file = join(root, "a-file");
    writeFileSync(file, "");
    const jobs = running.emulator.jobs.size;
    const result = await vclm(["animate", folder("file-out", 1, 300), "--out-dir", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--out-dir .*a-file is a file: give a folder/);
    expect(running.emulator.jobs.size).toBe(jobs);
  });

  it("--adopt naming one photo twice with two jobs is a mistake in the call (exit 2)", async () => {
    const result = await vclm([
      "animate",
      folder("adopt-twice", 1, 400),
      "--out-dir",
      join(root, "adopt-out"),
      "--adopt",
      "p0.png=1",
      "--adopt",
      "p0.png=2",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--adopt names p0\.png twice \(jobs 1 and 2\): a photo has one job/);
  });

  it("a photo whose name is as long as the file system allows is saved (its derived names fit too)", async () => {
    const photos = join(root, "long");
    mkdirSync(photos);
    writeFileSync(join(photos, `${"n".repeat(251)}.png`), makePng(777, 1000));
    const out = join(root, "long-out");
    const result = await vclm(["animate", photos, "--out-dir", out, "--json"]);
    expect(result.code).toBe(0);
    const [video] = readdirSync(out).filter((name) => name.endsWith(".mp4"));
    expect(Buffer.byteLength(video as string)).toBeLessThanOrEqual(255);
    expect(JSON.parse(result.stdout).photos[0].location).toBe(join(out, video as string));
  });
});
