import { spawn } from "node:child_process";
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JournalRecord } from "../src/index.js";
import { downloadVideo, fileJournal, JournalError, saveToDirectory } from "../src/node.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vclm-batch-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const intent = (n: number): JournalRecord => ({ type: "intent", key: `ke3:${n}`, name: `p${n}.jpg`, at: n });

describe("fileJournal", () => {
  it("keeps every append across a reopen; appends made together share one write", async () => {
    const path = join(dir, "journal.jsonl");
    const journal = await fileJournal(path);
    await Promise.all(Array.from({ length: 50 }, (_, n) => journal.append(intent(n))));
    await journal.close();
    const again = await fileJournal(path);
    expect((await again.read()).map((record) => record.key)).toEqual(Array.from({ length: 50 }, (_, n) => `ke3:${n}`));
    await again.close();
  });

  it("drops a last line cut off by a crash, and appends after it cleanly", async () => {
    const path = join(dir, "journal.jsonl");
    await writeFile(path, `${JSON.stringify(intent(1))}\n{"type":"submitted","key":"ke3:1","Job`);
    const journal = await fileJournal(path);
    expect(await journal.read()).toEqual([intent(1)]);
    await journal.append(intent(2));
    expect(await journal.read()).toEqual([intent(1), intent(2)]);
    await journal.close();
  });

  it("refuses a journal with a bad line in the middle, naming the line", async () => {
    const path = join(dir, "journal.jsonl");
    await writeFile(path, `${JSON.stringify(intent(1))}\nnot json\n${JSON.stringify(intent(2))}\n`);
    await expect(fileJournal(path)).rejects.toThrow(/journal\.jsonl, line 2, is not a journal record/);
    await expect(fileJournal(path)).rejects.toThrow(JournalError); // and left no lock behind
  });

  it("one process at a time: a live owner's lock is refused, a killed owner's lock is taken over", async () => {
    const path = join(dir, "journal.jsonl");
    const journal = await fileJournal(path);
    await expect(fileJournal(path)).rejects.toThrow(/in use by process \d+: one batch at a time per journal/);
    await journal.close();
    // A process that held the lock and was killed.
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"]);
    await writeFile(`${path}.lock`, `${child.pid} ${(await import("node:os")).hostname()}\n`);
    await expect(fileJournal(path)).rejects.toThrow(JournalError);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const taken = await fileJournal(path);
    await taken.append(intent(3));
    await taken.close();
    expect(await readdir(dir)).toEqual(["journal.jsonl"]);
  });

  it("refuses to append a record that is not one (nothing is written)", async () => {
    const path = join(dir, "journal.jsonl");
    const journal = await fileJournal(path);
    await expect(journal.append({ type: "submitted", key: "k", JobId: "not a number", at: 1 } as JournalRecord)).rejects.toThrow();
    await appendFile(path, "");
    expect(await readFile(path, "utf8")).toBe("");
    await journal.close();
  });
});

/** A video server: cuts the first answer after `cutAfter` bytes, honours Range after that. */
async function videoServer(video: Uint8Array, { cutAfter = 0, type = "video/mp4", status = 200 } = {}) {
  const ranges: (string | undefined)[] = [];
  const server: Server = createServer((request, response) => {
    ranges.push(request.headers.range);
    if (status !== 200) return response.writeHead(status, { "Content-Type": type }).end('{"error":"expired"}');
    const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? "");
    const start = match ? Number(match[1]) : 0;
    const body = video.subarray(start);
    response.writeHead(match ? 206 : 200, {
      "Content-Type": type,
      "Content-Length": body.length,
      ...(match && { "Content-Range": `bytes ${start}-${video.length - 1}/${video.length}` }),
    });
    if (cutAfter && ranges.length === 1) {
      response.write(body.subarray(0, cutAfter), () => response.socket?.destroy());
      return;
    }
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/videos/1.mp4?expires=1`;
  return { url, ranges, close: () => new Promise((resolve) => server.close(resolve)) };
}

const video = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) & 0xff);

describe("downloadVideo", () => {
  it("goes on from where a cut connection stopped, with a Range request, and saves the exact bytes", async () => {
    const server = await videoServer(video, { cutAfter: 100_000 });
    try {
      const saved = await downloadVideo(server.url, join(dir, "dance.mp4"));
      expect(saved.bytes).toBe(video.length);
      expect(new Uint8Array(await readFile(saved.path))).toEqual(video);
      expect(server.ranges[0]).toBeUndefined();
      expect(Number(/^bytes=(\d+)-$/.exec(server.ranges[1] ?? "")?.[1])).toBeGreaterThan(0);
      expect(await readdir(dir)).toEqual(["dance.mp4"]); // no .part left
    } finally {
      await server.close();
    }
  });

  it("keeps the part of a download cut every time, and a later run goes on from it", async () => {
    const server = await videoServer(video, { cutAfter: 100_000 });
    try {
      await expect(downloadVideo(server.url, join(dir, "dance.mp4"), { attempts: 1 })).rejects.toThrow();
      expect((await readdir(dir)).filter((name) => name.endsWith(".part"))).toHaveLength(1);
      const saved = await downloadVideo(server.url, join(dir, "dance.mp4"));
      expect(new Uint8Array(await readFile(saved.path))).toEqual(video);
      expect(server.ranges.at(-1)).toMatch(/^bytes=\d+-$/);
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
      await expect(saveToDirectory(dir)({ name: "b.jpg", url: expired.url })).rejects.toMatchObject({ status: 403 });
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
      const saved = await saveToDirectory(dir)({ name: "photos/notes.jpeg", url: server.url });
      expect(saved).toEqual({ location: join(dir, "photos_notes.mp4"), bytes: video.length });
    } finally {
      await server.close();
    }
  });
});
