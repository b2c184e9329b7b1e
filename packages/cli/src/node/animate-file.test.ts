// vclm/node's animate: a photo by path, and a video saved whole, never over a file unless asked.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VclmValidationError } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { fullDisk } from "@vclm/tools/full-disk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { animate } from "./animate-file.js";
import { VideoFileError } from "./video-file-error.js";

const dancer = new URL("../../../../samples/dancer.jpg", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "vclm-node-"));
let running: RunningEmulator;
let options: { endpoint: string; credentials: { secretId: string; secretKey: string } };
beforeAll(async () => {
  running = await startEmulator({ schedule: { waitMs: 100, runMs: 200 } });
  options = { endpoint: running.url, credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey } };
});
afterAll(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

it("reads a photo by path and saves the video, never over an existing file unless replace: true", async () => {
  const video = await animate(dancer, { ...options, template: "tuziwu" });
  const out = join(dir, "dance.mp4");
  const saved = await video.save(out);
  expect(saved).toEqual({ path: out, bytes: readFileSync(out).byteLength });
  expect(new Uint8Array(readFileSync(out))).toEqual(await video.download());
  writeFileSync(out, "keep me");
  const taken = await video.save(out).catch((e) => e);
  expect(taken).toBeInstanceOf(VideoFileError);
  expect(taken).toMatchObject({ code: "EEXIST", path: out, jobId: video.jobId });
  expect(taken.message).toContain("{ replace: true }");
  const nowhere = await video.save(join(dir, "no-such-folder", "x.mp4")).catch((e) => e);
  expect([nowhere.code, nowhere.message]).toEqual(["ENOENT", expect.stringContaining("does not exist")]);
  expect(readFileSync(out, "utf8")).toBe("keep me");
  await video.save(out, { replace: true });
  expect(readFileSync(out).byteLength).toBe(saved.bytes);
});

it("names a photo path it cannot read, before anything is sent", async () => {
  const before = [...running.emulator.jobs.all()].length;
  for (const [path, why] of [
    [join(dir, "missing.jpg"), "no such file"],
    [dir, "a folder"],
  ]) {
    const error = await animate(path as string, options).catch((e) => e);
    expect(error).toBeInstanceOf(VclmValidationError);
    expect(error.message).toContain(path);
    expect(error.message).toContain(why);
  }
  expect([...running.emulator.jobs.all()].length).toBe(before);
});

describe("save() when the disk, another save or a signal gets in the way", () => {
  it("a disk that fills mid-write: a VideoFileError ENOSPC with the JobId, no target file; with room again, the next save completes it", async () => {
    const video = await animate(dancer, options);
    const out = join(dir, "full.mp4");
    const { files, disk, free } = fullDisk(100_000);
    const full = await video.save(out, { files }).catch((e) => e);
    expect(full).toBeInstanceOf(VideoFileError);
    expect(full).toMatchObject({ code: "ENOSPC", jobId: video.jobId });
    expect(full.message).toMatch(/the disk is full \(ENOSPC\)/);
    expect(disk.refused + disk.shortWrites).toBeGreaterThan(0);
    expect(existsSync(out)).toBe(false); // never a partial video under the target's name
    free();
    await video.save(out, { files });
    expect(new Uint8Array(readFileSync(out))).toEqual(await video.download());
  });

  it("two saves to one path at the same instant: one writes the whole video, the other is refused (EBUSY: under way)", async () => {
    const video = await animate(dancer, options);
    const out = join(dir, "race.mp4");
    const results = await Promise.allSettled([video.save(out), video.save(out)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
    expect(refused).toMatchObject({ name: "VideoFileError", code: "EBUSY", jobId: video.jobId });
    expect(refused.message).toContain("another save of this video");
    expect(new Uint8Array(readFileSync(out))).toEqual(await video.download());
  });

  it("a save stopped by its signal (Ctrl-C) leaves no target; the next save writes it whole", async () => {
    const video = await animate(dancer, options);
    const out = join(dir, "stopped.mp4");
    const stop = new AbortController();
    const stopped = video.save(out, { signal: stop.signal });
    stop.abort(new Error("Ctrl-C"));
    await expect(stopped).rejects.toThrow();
    expect(existsSync(out)).toBe(false);
    await video.save(out);
    expect(new Uint8Array(readFileSync(out))).toEqual(await video.download());
  });
});
