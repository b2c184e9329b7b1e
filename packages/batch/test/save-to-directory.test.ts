import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { TemplateId } from "@vclm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Files } from "../src/files.js";
import { saveToDirectory } from "../src/node.js";
import type { VideoToSave } from "../src/types.js";
import { videoBytes, videoServer } from "./video-server.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vclm-save-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

let nextJob = 1_000;
const videoTo = (url: string, name: string, TemplateId: TemplateId = "ke3"): VideoToSave => ({
  key: `${TemplateId}:${name}`,
  name,
  TemplateId,
  JobId: String(nextJob++),
  url,
});

/** A server per video, as each job has its own URL. */
async function videos(count: number, length = 50_000) {
  return Promise.all(Array.from({ length: count }, (_, i) => videoServer(videoBytes(length + i, 3 + i))));
}

describe("saveToDirectory never puts a video where another is", () => {
  it("photos whose names clash (a.jpg and a.jpeg; the same name in two folders; a_b/c and a/b/c) get a name each", async () => {
    const servers = await videos(6);
    try {
      const folder = await saveToDirectory(dir);
      const names = ["a.jpg", "a.jpeg", "monday/IMG_0001.jpg", "tuesday/IMG_0001.jpg", "a_b/c.jpg", "a/b/c.jpg"];
      const saved = [];
      for (const [at, name] of names.entries()) saved.push(await folder.save(videoTo((servers[at] as { url: string }).url, name)));
      expect(saved.map(({ location }) => basename(location))).toEqual([
        "a-ke3.mp4",
        "a-ke3-2.mp4",
        "monday_IMG_0001-ke3.mp4",
        "tuesday_IMG_0001-ke3.mp4",
        "a_b_c-ke3.mp4",
        "a_b_c-ke3-2.mp4",
      ]);
      // Each file holds its own video, whole.
      for (const [at, { location, bytes }] of saved.entries())
        expect(new Uint8Array(await readFile(location))).toEqual(videoBytes(50_000 + at, 3 + at).subarray(0, bytes));
      expect((await readdir(dir)).filter((name) => !name.endsWith(".mp4"))).toEqual([]);
    } finally {
      for (const server of servers) await server.close();
    }
  });

  it("a later run, another template, or a file of the user's: none is written over", async () => {
    const servers = await videos(3);
    try {
      await writeFile(join(dir, "b-ke3.mp4"), "my own notes");
      const monday = await (await saveToDirectory(dir)).save(videoTo((servers[0] as { url: string }).url, "b.jpg"));
      const tuesday = await (await saveToDirectory(dir)).save(videoTo((servers[1] as { url: string }).url, "b.jpg"));
      const rabbit = await (await saveToDirectory(dir)).save(videoTo((servers[2] as { url: string }).url, "b.jpg", "tuziwu"));
      expect([monday, tuesday, rabbit].map(({ location }) => basename(location))).toEqual(["b-ke3-2.mp4", "b-ke3-3.mp4", "b-tuziwu.mp4"]);
      expect(await readFile(join(dir, "b-ke3.mp4"), "utf8")).toBe("my own notes");
      expect(new Uint8Array(await readFile(monday.location))).toEqual(videoBytes(50_000, 3));
    } finally {
      for (const server of servers) await server.close();
    }
  });

  it("the same video again (a run stopped after naming it, before recording it) keeps the file it has: no copy", async () => {
    const [server] = await videos(1);
    try {
      const folder = await saveToDirectory(dir);
      const video = videoTo((server as { url: string }).url, "c.jpg");
      const first = await folder.save(video);
      const again = await folder.save(video);
      expect(again).toEqual(first);
      expect(await readdir(dir)).toEqual(["c-ke3.mp4"]);
    } finally {
      await server?.close();
    }
  });

  it("checkSaved believes a file only while it holds the video saved there: size and SHA-256", async () => {
    const [server] = await videos(1);
    try {
      const folder = await saveToDirectory(dir);
      const saved = await folder.save(videoTo((server as { url: string }).url, "d.jpg"));
      expect(saved.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await folder.checkSaved(saved)).toBeUndefined();
      await writeFile(saved.location, new Uint8Array(saved.bytes)); // the same size, other bytes
      expect(await folder.checkSaved(saved)).toMatch(/has changed since it was saved \(other bytes\)/);
      await writeFile(saved.location, "short");
      expect(await folder.checkSaved(saved)).toMatch(/has changed since it was saved: 5 bytes, not \d+/);
      await rm(saved.location);
      expect(await folder.checkSaved(saved)).toMatch(/cannot be read: no such file or folder \(ENOENT\)/);
    } finally {
      await server?.close();
    }
  });
});

describe("saveToDirectory keeps every name within what the file system takes", () => {
  it("a photo name of 250 characters (and one in 3-byte characters) is saved, each name at most 255 bytes, apart from a like one", async () => {
    const servers = await videos(3);
    try {
      const folder = await saveToDirectory(dir);
      const names = [`${"x".repeat(250)}.jpg`, `${"x".repeat(250)}y.jpg`, `${"舞".repeat(120)}.png`];
      const saved = await Promise.all(names.map((name, at) => folder.save(videoTo((servers[at] as { url: string }).url, name))));
      const files = saved.map(({ location }) => basename(location));
      expect(new Set(files).size).toBe(3);
      for (const file of files) expect(Buffer.byteLength(file)).toBeLessThanOrEqual(255);
      expect(files[0]).toMatch(/^x+~[0-9a-f]{8}-ke3\.mp4$/);
      expect(files[2]).toMatch(/^舞+~[0-9a-f]{8}-ke3\.mp4$/);
    } finally {
      for (const server of servers) await server.close();
    }
  });

  it("on a file system that takes shorter names (eCryptfs: 143 bytes), shorter ones are used", async () => {
    const [server] = await videos(1);
    const fs = await import("node:fs/promises");
    const short: Files = {
      ...fs,
      link: async (from, to) => {
        if (Buffer.byteLength(basename(String(to))) > 143) throw Object.assign(new Error("ENAMETOOLONG"), { code: "ENAMETOOLONG" });
        return fs.link(from, to);
      },
    };
    try {
      const saved = await (await saveToDirectory(dir, { files: short })).save(
        videoTo((server as { url: string }).url, `${"z".repeat(200)}.jpg`),
      );
      expect(Buffer.byteLength(basename(saved.location))).toBeLessThanOrEqual(143);
      expect((await readFile(saved.location)).length).toBe(saved.bytes);
    } finally {
      await server?.close();
    }
  });
});

describe("saveToDirectory resumes a video's part", () => {
  it("a save cut on every connection is resumed by the next try (this run) and by the next run, with a Range", async () => {
    const video = videoBytes(400_000, 5);
    const server = await videoServer(video);
    try {
      const folder = await saveToDirectory(dir, { attempts: 1 });
      const job = videoTo(server.url, "e.jpg");
      server.cut(100_000);
      await expect(folder.save(job)).rejects.toThrow();
      server.cut(100_000);
      await expect(folder.save(job)).rejects.toThrow(); // the next try, same run: goes on from what the first kept
      const from = (at: number) => Number(/^bytes=(\d+)-$/.exec(server.requests[at]?.range ?? "")?.[1] ?? 0);
      expect(from(1)).toBeGreaterThan(0);
      const saved = await (await saveToDirectory(dir)).save(job); // the next run: goes on from what both kept
      expect(from(2)).toBeGreaterThan(from(1));
      expect(new Uint8Array(await readFile(saved.location))).toEqual(video);
      expect(await readdir(dir)).toEqual(["e-ke3.mp4"]);
    } finally {
      await server.close();
    }
  });
});

describe("saveToDirectory after a crash between naming a video and removing its part", () => {
  it("a whole part that is also the saved video's file is neither fetched again nor written over", async () => {
    const video = videoBytes(200_000, 9);
    const server = await videoServer(video);
    try {
      const job = videoTo(server.url, "f.jpg");
      const first = await (await saveToDirectory(dir)).save(job);
      // The crash: the part still there, the same file as the video (link done, unlink not).
      const etag = `"${(await import("node:crypto")).createHash("sha256").update(video).digest("hex").slice(0, 16)}"`;
      const part = join(dir, `.vclm-${job.JobId}.${video.length}.${video.length}.${Buffer.from(etag).toString("base64url")}.part`);
      await (await import("node:fs/promises")).link(first.location, part);
      const requests = server.requests.length;
      const again = await (await saveToDirectory(dir)).save(job);
      expect(again).toEqual(first);
      expect(server.requests.length).toBe(requests); // nothing fetched
      expect(new Uint8Array(await readFile(first.location))).toEqual(video);
      expect(await readdir(dir)).toEqual(["f-ke3.mp4"]);
    } finally {
      await server.close();
    }
  });

  it("a part that must start over is a new file: the video it may also be keeps its bytes", async () => {
    const video = videoBytes(200_000, 11);
    const server = await videoServer(video);
    try {
      const job = videoTo(server.url, "g.jpg");
      const first = await (await saveToDirectory(dir)).save(job);
      // A part of this job under an old validator, hard-linked to the saved video: it will not resume.
      const part = join(dir, `.vclm-${job.JobId}.${video.length}.${video.length}.${Buffer.from('"old"').toString("base64url")}.part`);
      await (await import("node:fs/promises")).link(first.location, part);
      await writeFile(join(dir, "unrelated.txt"), "x");
      const again = await (await saveToDirectory(dir)).save(job);
      expect(again.location).toBe(first.location); // the same bytes: kept, not copied
      expect(new Uint8Array(await readFile(first.location))).toEqual(video);
      expect((await readdir(dir)).filter((name) => name.includes(".part"))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe("saveToDirectory after a power loss that kept a part's size and not its data", () => {
  // Some file systems (XFS; ext4 mounted data=writeback) can come back from a power loss with a
  // file at its new size and zeros where its unsynced bytes were: a part as long as the video is
  // not a whole video. Only the bytes its name says were synced are trusted.
  const etagOf = async (video: Uint8Array) =>
    `"${(await import("node:crypto")).createHash("sha256").update(video).digest("hex").slice(0, 16)}"`;

  it.each([
    {
      part: "named with 80,000 bytes synced: resumed from there",
      synced: (total: number) => `${total}.80000`,
      request: async (video: Uint8Array) => ({ range: "bytes=80000-", ifRange: await etagOf(video) }),
    },
    {
      part: "named before SYNCED was recorded: fetched whole",
      synced: (total: number) => `${total}`,
      request: async () => ({ range: undefined, ifRange: undefined }),
    },
  ])("a part as long as the video with a tail of zeros, $part; the saved video is whole", async ({ synced, request }) => {
    const video = videoBytes(200_000, 13);
    const server = await videoServer(video);
    try {
      const job = videoTo(server.url, "z.jpg");
      const onDisk = new Uint8Array(video.length);
      onDisk.set(video.subarray(0, 80_000)); // synced; the rest came back as zeros
      const etag = Buffer.from(await etagOf(video)).toString("base64url");
      await writeFile(join(dir, `.vclm-${job.JobId}.${synced(video.length)}.${etag}.part`), onDisk);
      const saved = await (await saveToDirectory(dir)).save(job);
      expect(new Uint8Array(await readFile(saved.location))).toEqual(video);
      expect(server.requests).toEqual([await request(video)]);
      expect(await readdir(dir)).toEqual(["z-ke3.mp4"]);
    } finally {
      await server.close();
    }
  });
});

describe("saveToDirectory on a connection that goes quiet", () => {
  it("cuts a download with no bytes for idleTimeout, tries again, and says why it gave up", async () => {
    const { createServer } = await import("node:http");
    const stalls = createServer((_request, response) => {
      response.writeHead(200, { "Content-Type": "video/mp4", "Content-Length": 100_000, ETag: '"s"' });
      response.write(new Uint8Array(10)); // then nothing, forever
    });
    await new Promise<void>((resolve) => stalls.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(stalls.address() as { port: number }).port}/videos/1.mp4`;
    try {
      const started = Date.now();
      const folder = await saveToDirectory(dir, { idleTimeout: 200, attempts: 2 });
      await expect(folder.save(videoTo(url, "h.jpg"))).rejects.toThrow(/no bytes from 127\.0\.0\.1:\d+ for 0\.2 s: the connection was cut/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      stalls.closeAllConnections();
      stalls.close();
    }
  });
});
