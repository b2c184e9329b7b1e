import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs/promises";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fullDisk } from "@vclm/tools/full-disk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Files } from "../src/files.js";
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

describe("downloadVideo: what a part's name says, after a kill, on short-named file systems, after a 416", () => {
  const dist = new URL("../dist/node.js", import.meta.url).href;
  const synced = (name: string) => Number(name.split(".")[3]);

  it("a process killed mid-download leaves its part named for its last checkpoint (1 MiB): the next run goes on from there", async () => {
    const big = videoBytes(1_500_000, 5);
    const server = await videoServer(big);
    server.hold(1_300_000);
    const target = join(dir, "dance.mp4");
    const script = `const { downloadVideo } = await import(${JSON.stringify(dist)}); await downloadVideo(${JSON.stringify(server.url)}, ${JSON.stringify(target)});`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script]);
    try {
      const size = async () => {
        const [part] = await parts();
        return part ? (await stat(join(dir, part))).size : 0;
      };
      for (let waited = 0; (await size()) < 1_300_000 && waited < 20_000; waited += 25) await new Promise((r) => setTimeout(r, 25));
      child.kill("SIGKILL"); // no signal handler runs: the bytes after the checkpoint are only in the page cache
      await new Promise((r) => child.once("exit", r));
      const [left] = await parts();
      expect(synced(left as string)).toBeGreaterThanOrEqual(1 << 20);
      expect(synced(left as string)).toBeLessThanOrEqual(1_300_000);
      const saved = await downloadVideo(server.url, target);
      expect(new Uint8Array(await readFile(saved.path))).toEqual(big);
      expect(server.requests.at(-1)?.range).toBe(`bytes=${synced(left as string)}-`);
    } finally {
      child.kill("SIGKILL");
      await server.close();
    }
  });

  /** A file system that takes names of at most `limit` bytes, as eCryptfs does (143). */
  const shortNames = (limit: number): Files => {
    const named = <T>(path: unknown, then: () => Promise<T>): Promise<T> =>
      Buffer.byteLength(basename(String(path))) > limit
        ? Promise.reject(Object.assign(new Error(`ENAMETOOLONG: name too long, '${String(path)}'`), { code: "ENAMETOOLONG" }))
        : then();
    return {
      ...fs,
      open: ((path: string, ...rest: [never, never]) => named(path, () => fs.open(path, ...rest))) as Files["open"],
      rename: (from, to) => named(to, () => fs.rename(from, to)),
      link: (from, to) => named(to, () => fs.link(from, to)),
    };
  };

  it.each([
    {
      disk: "eCryptfs (143-byte names), an 80-byte ETag: the part's name fits at its first open and never grows",
      etag: `"${"a".repeat(78)}"`,
      limit: 143,
    },
    {
      disk: "eCryptfs (143-byte names), a 120-byte ETag: no name fits, so the part is plain (not resumable)",
      etag: `"${"a".repeat(118)}"`,
      limit: 143,
    },
    {
      disk: "255-byte names, a 150-character ETag of 165 UTF-8 bytes: not put in a name",
      etag: `"${"b".repeat(133)}${"\u00e9".repeat(15)}"`,
      limit: 255,
    },
  ])("$disk; the video is saved in one download", async ({ etag, limit }) => {
    const server = await videoServer(video, { etag });
    try {
      const saved = await downloadVideo(server.url, join(dir, "dance.mp4"), { files: shortNames(limit) });
      expect(new Uint8Array(await readFile(saved.path))).toEqual(video);
      expect(server.requests).toHaveLength(1);
      expect(await parts()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("a full disk refusing the part's rename (its SYNCED record): the error names the part as it is, and the next run saves the whole video", async () => {
    const server = await videoServer(video);
    let refuse = true;
    const files: Files = {
      ...fs,
      rename: async (from, to) => {
        if (refuse && String(to).endsWith(".part")) {
          refuse = false;
          throw Object.assign(new Error(`ENOSPC: no space left on device, rename '${String(from)}'`), { code: "ENOSPC" });
        }
        return fs.rename(from, to);
      },
    };
    try {
      const error = await downloadVideo(server.url, join(dir, "dance.mp4"), { files }).catch((reason) => reason);
      expect(error).toBeInstanceOf(VideoSaveError);
      expect(error.code).toBe("ENOSPC");
      expect(await parts()).toEqual([basename(error.path)]); // still named for 0 synced bytes: not trusted
      expect(synced(basename(error.path))).toBe(0);
      const saved = await downloadVideo(server.url, join(dir, "dance.mp4"), { files });
      expect(new Uint8Array(await readFile(saved.path))).toEqual(video);
      expect(await parts()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("replace: true after a run stopped between linking the part into place and removing it: no part is left", async () => {
    const server = await videoServer(video);
    try {
      const target = join(dir, "r.mp4");
      await downloadVideo(server.url, target);
      const etag = Buffer.from(`"${createHash("sha256").update(video).digest("hex").slice(0, 16)}"`).toString("base64url");
      const id = createHash("sha256")
        .update(`${target}\n${new URL(server.url).origin}/videos/1.mp4`)
        .digest("hex")
        .slice(0, 12);
      await fs.link(target, join(dir, `.vclm-${id}.${video.length}.${video.length}.${etag}.part`)); // one file, two names
      const saved = await downloadVideo(server.url, target, { replace: true });
      expect(new Uint8Array(await readFile(saved.path))).toEqual(video);
      expect(await parts()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("a 416 on resume with attempts: 1 (a server that ignores If-Range, a shorter new version): the part is dropped, the next run saves the new version", async () => {
    const server = await videoServer(video, { ifRange: "ignored" });
    server.cut(100_000);
    try {
      await expect(downloadVideo(server.url, join(dir, "s.mp4"), { attempts: 1 })).rejects.toThrow(/cut short|terminated|socket/);
      const shorter = videoBytes(50_000, 29);
      server.replace(shorter);
      await expect(downloadVideo(server.url, join(dir, "s.mp4"), { attempts: 1 })).rejects.toThrow(/416.*nothing was saved/);
      expect(await parts()).toEqual([]);
      const saved = await downloadVideo(server.url, join(dir, "s.mp4"), { attempts: 1 });
      expect(new Uint8Array(await readFile(saved.path))).toEqual(shorter);
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
