import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fullDisk } from "@vclm/tools/full-disk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadVideo, saveToDirectory, VideoSaveError } from "../src/node.js";
import { videoBytes, videoServer } from "./video-server.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vclm-download-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const video = videoBytes(300_000);
const other = videoBytes(300_000, 13);
const parts = async () => (await readdir(dir)).filter((name) => name.includes(".part"));

describe("downloadVideo", () => {
  it("goes on from where a cut connection stopped, with Range and If-Range, and saves the exact bytes", async () => {
    const server = await videoServer(video);
    server.cut(100_000);
    try {
      const saved = await downloadVideo(server.url, join(dir, "dance.mp4"));
      expect(saved.bytes).toBe(video.length);
      expect(new Uint8Array(await readFile(saved.path))).toEqual(video);
      expect(server.requests[0]?.range).toBeUndefined();
      expect(Number(/^bytes=(\d+)-$/.exec(server.requests[1]?.range ?? "")?.[1])).toBeGreaterThan(0);
      expect(server.requests[1]?.ifRange).toMatch(/^"[0-9a-f]+"$/);
      expect(await readdir(dir)).toEqual(["dance.mp4"]); // no .part left
    } finally {
      await server.close();
    }
  });

  it("keeps the part of a download cut every time, and a later run goes on from it", async () => {
    const server = await videoServer(video);
    server.cut(100_000);
    try {
      await expect(downloadVideo(server.url, join(dir, "dance.mp4"), { attempts: 1 })).rejects.toThrow(/cut short|terminated|socket/);
      // One file: its name says what video it is the start of (the total and the ETag), and how much of it is synced: all it holds.
      const kept = await parts();
      expect(kept).toEqual([expect.stringMatching(/^\.vclm-[0-9a-f]{12}\.300000\.\d+\.[\w-]+\.part$/)]);
      expect(Number(kept[0]?.split(".")[3])).toBe((await readFile(join(dir, kept[0] as string))).length);
      const saved = await downloadVideo(server.url, join(dir, "dance.mp4"));
      expect(new Uint8Array(await readFile(saved.path))).toEqual(video);
      expect(server.requests.at(-1)?.range).toMatch(/^bytes=\d+-$/);
    } finally {
      await server.close();
    }
  });

  it("a video that changed on the server after a cut is saved whole as it is now, never stitched", async () => {
    const server = await videoServer(video);
    server.cut(100_000);
    try {
      await expect(downloadVideo(server.url, join(dir, "dance.mp4"), { attempts: 1 })).rejects.toThrow();
      server.replace(other);
      const saved = await downloadVideo(server.url, join(dir, "dance.mp4"));
      expect(new Uint8Array(await readFile(saved.path))).toEqual(other);
      expect(server.requests.at(-1)?.ifRange).toBeDefined(); // it asked for the range only if the video was the same
    } finally {
      await server.close();
    }
  });

  it("a server that ignores If-Range and sends the range of another version is caught: the video is fetched again whole", async () => {
    const server = await videoServer(video, { ifRange: "ignored" });
    server.cut(100_000);
    try {
      await expect(downloadVideo(server.url, join(dir, "dance.mp4"), { attempts: 1 })).rejects.toThrow();
      server.replace(other);
      const saved = await downloadVideo(server.url, join(dir, "dance.mp4"));
      expect(new Uint8Array(await readFile(saved.path))).toEqual(other);
      expect(server.requests.at(-1)?.range).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it("without a validator (no ETag, no Last-Modified) it never resumes: a cut starts again from byte 0", async () => {
    const server = await videoServer(video, { validators: false });
    server.cut(100_000);
    try {
      const saved = await downloadVideo(server.url, join(dir, "dance.mp4"));
      expect(new Uint8Array(await readFile(saved.path))).toEqual(video);
      expect(server.requests.map((request) => request.range)).toEqual([undefined, undefined]);
    } finally {
      await server.close();
    }
  });

  it("refuses an error page answered with 200, and an expired link, saving nothing", async () => {
    const page = await videoServer(new TextEncoder().encode('{"error":"AccessDenied"}'), { type: "application/json" });
    const expired = await videoServer(video, { status: 403, type: "application/xml" });
    try {
      await expect(downloadVideo(page.url, join(dir, "a.mp4"))).rejects.toThrow(
        /answered application\/json, not a video; nothing was saved/,
      );
      await expect(downloadVideo(expired.url, join(dir, "b.mp4"))).rejects.toMatchObject({ status: 403 });
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await page.close();
      await expired.close();
    }
  });

  it("never writes over an existing file unless asked to", async () => {
    const server = await videoServer(video);
    try {
      await writeFile(join(dir, "notes.mp4"), "mine");
      await expect(downloadVideo(server.url, join(dir, "notes.mp4"))).rejects.toThrow(/EEXIST/);
      expect(await readFile(join(dir, "notes.mp4"), "utf8")).toBe("mine");
      const replaced = await downloadVideo(server.url, join(dir, "notes.mp4"), { replace: true });
      expect(new Uint8Array(await readFile(replaced.path))).toEqual(video);
    } finally {
      await server.close();
    }
  });

  it("a full disk is said as such, once (no retries), the part is kept, and a later run goes on from it", async () => {
    const server = await videoServer(video);
    const { files, free } = fullDisk();
    try {
      free(120_000); // the sidecar, then part of the video
      const error = await downloadVideo(server.url, join(dir, "dance.mp4"), { files }).catch((reason) => reason);
      expect(error).toBeInstanceOf(VideoSaveError);
      expect(error.message).toMatch(/could not write .*\.vclm-[0-9a-f]+\.300000\.\d+\.[\w-]+\.part: the disk is full \(ENOSPC\)/);
      expect(error.code).toBe("ENOSPC");
      expect(await parts()).toEqual([error.path.slice(dir.length + 1)]); // the error names the part as it is kept
      expect(server.requests).toHaveLength(1);
      free();
      const saved = await downloadVideo(server.url, join(dir, "dance.mp4"), { files });
      expect(new Uint8Array(await readFile(saved.path))).toEqual(video);
      expect(server.requests.at(-1)?.range).toMatch(/^bytes=\d+-$/);
    } finally {
      await server.close();
    }
  });

  it("two saves of one video to one path at once: one writes it whole, the other is refused (EBUSY), and no lock is left", async () => {
    const server = await videoServer(video);
    try {
      const target = join(dir, "race.mp4");
      const results = await Promise.allSettled([downloadVideo(server.url, target), downloadVideo(server.url, target)]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const refused = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
      expect(refused).toBeInstanceOf(VideoSaveError);
      expect([refused.code, refused.message]).toEqual([
        "EBUSY",
        expect.stringMatching(/another save of this video to .*race\.mp4 is under way \(process \d+\)/),
      ]);
      expect(new Uint8Array(await readFile(target))).toEqual(video);
      expect((await readdir(dir)).filter((name) => name.startsWith(".vclm-"))).toEqual([]); // no part, no lock folder
      await downloadVideo(server.url, target, { replace: true }); // and the next save takes the lock again
    } finally {
      await server.close();
    }
  });

  it("a target name as long as the file system allows still has room for its part file", async () => {
    const server = await videoServer(video);
    try {
      const saved = await downloadVideo(server.url, join(dir, `${"x".repeat(251)}.mp4`));
      expect(new Uint8Array(await readFile(saved.path))).toEqual(video);
    } finally {
      await server.close();
    }
  });
});

describe("saveToDirectory: checked before anything is paid for", () => {
  it("refuses a folder that cannot take a file (a full disk), before any video", async () => {
    const { files, free } = fullDisk();
    free(0);
    await expect(saveToDirectory(join(dir, "out"), { files })).rejects.toThrow(/could not write .*out: the disk is full \(ENOSPC\)/);
  });
});
