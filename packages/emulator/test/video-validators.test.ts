// Videos served as COS serves objects: a strong ETag from the video's bytes and Last-Modified (when
// the job was done) on 200 and 206, and If-Range honoured, so a resumed download gets the rest of
// the same video or, when the validator it holds is not the current one, all of it. The same checks
// in process, through the emulator's fetch, and over real HTTP, through the Node server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makePng } from "@vclm/tools/photos";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../src/emulator.js";
import { startEmulator } from "../src/node.js";
import { answerOf, signedRequest } from "./signed.js";

/** An emulator on a manual clock, and how requests reach it. */
interface Host {
  readonly emulator: Emulator;
  readonly url: string;
  send(request: Request): Promise<Response>;
  close(): Promise<void>;
}

const hosts: Record<string, () => Promise<Host>> = {
  "through fetch": async () => {
    const emulator = createEmulator({ clock: "manual" });
    return { emulator, url: "http://emulator.test/", send: (request) => emulator.fetch(request), close: async () => {} };
  },
  "over HTTP": async () => {
    const running = await startEmulator({ clock: "manual", port: 0, host: "127.0.0.1" });
    return { emulator: running.emulator, url: running.url, send: (request) => fetch(request), close: () => running.close() };
  },
};

const urlPhoto = JSON.stringify({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" });
const base64Photo = JSON.stringify({
  TemplateId: "ke3",
  ImageBase64: Buffer.from(makePng(600, 1000)).toString("base64"),
  EnableSegment: true,
});

/** Submits a job; it is DONE once the clock is moved 15 s on. */
async function submit(host: Host, body = urlPhoto): Promise<string> {
  const answer = await answerOf(await host.send(await signedRequest(host.url, { action: "SubmitImageAnimateJob", body })));
  return answer.JobId as string;
}

/** GETs a job's video (or its mask video) with these headers, by the signed link Describe gives. */
async function getVideo(host: Host, jobId: string, headers: Record<string, string> = {}, mask = false): Promise<Response> {
  const done = await answerOf(await host.send(await signedRequest(host.url, { body: JSON.stringify({ JobId: jobId }) })));
  const link = (mask ? done.MaskVideoUrl : done.ResultVideoUrl) as string;
  return host.send(new Request(link, { headers }));
}

const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

describe.each(Object.entries(hosts))("video validators, %s", (_, start) => {
  let host: Host;
  let jobId: string;
  beforeEach(async () => {
    host = await start();
    host.emulator.clock.set(Date.now()); // the time the requests are signed at
    jobId = await submit(host);
    host.emulator.clock.advance(15_000);
  });
  afterEach(() => host.close());

  /** The whole video and its validators, from a plain GET. */
  async function whole() {
    const response = await getVideo(host, jobId);
    expect(response.status).toBe(200);
    return {
      etag: response.headers.get("etag") as string,
      lastModified: response.headers.get("last-modified") as string,
      bytes: await bytesOf(response),
    };
  }

  it("sends the same strong ETag, and Last-Modified when the job was done, on every GET and on a 206", async () => {
    const first = await whole();
    const second = await whole();
    expect(first.etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(second.etag).toBe(first.etag);
    const job = host.emulator.jobs.find(jobId);
    expect(first.lastModified).toBe(new Date((job?.createdAt ?? 0) + (job?.waitMs ?? 0) + (job?.runMs ?? 0)).toUTCString());
    expect(second.lastModified).toBe(first.lastModified);

    const part = await getVideo(host, jobId, { Range: "bytes=0-99" });
    expect(part.status).toBe(206);
    expect(part.headers.get("etag")).toBe(first.etag);
    expect(part.headers.get("last-modified")).toBe(first.lastModified);
    expect(part.headers.get("accept-ranges")).toBe("bytes");
  });

  it("resumes with If-Range naming the current ETag: 206 with the rest of the video", async () => {
    const { etag, bytes } = await whole();
    const rest = await getVideo(host, jobId, { Range: "bytes=100-", "If-Range": etag });
    expect(rest.status).toBe(206);
    expect(rest.headers.get("content-range")).toBe(`bytes 100-${bytes.length - 1}/${bytes.length}`);
    expect(await bytesOf(rest)).toEqual(bytes.slice(100));
  });

  it("sends the whole video, 200, when If-Range names another ETag", async () => {
    const { bytes } = await whole();
    const answer = await getVideo(host, jobId, { Range: "bytes=100-", "If-Range": '"0123456789abcdef"' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-range")).toBeNull();
    expect(answer.headers.get("content-length")).toBe(String(bytes.length));
    expect(await bytesOf(answer)).toEqual(bytes);
  });

  it("never matches a weak ETag in If-Range, even the current one's: 200 with the whole video", async () => {
    const { etag, bytes } = await whole();
    const answer = await getVideo(host, jobId, { Range: "bytes=100-", "If-Range": `W/${etag}` });
    expect(answer.status).toBe(200);
    expect(await bytesOf(answer)).toEqual(bytes);
  });

  it("resumes with an If-Range date equal to Last-Modified; another date gets the whole video", async () => {
    const { lastModified, bytes } = await whole();
    const rest = await getVideo(host, jobId, { Range: "bytes=100-", "If-Range": lastModified });
    expect(rest.status).toBe(206);
    expect(rest.headers.get("content-range")).toBe(`bytes 100-${bytes.length - 1}/${bytes.length}`);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await getVideo(host, jobId, { Range: "bytes=100-", "If-Range": earlier })).status).toBe(200);
  });

  it("keeps 416 for an unsatisfiable range with a matching If-Range; a non-matching one gets the whole video", async () => {
    const { etag, bytes } = await whole();
    const beyond = { Range: `bytes=${bytes.length}-` };
    const unsatisfiable = await getVideo(host, jobId, { ...beyond, "If-Range": etag });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get("content-range")).toBe(`bytes */${bytes.length}`);
    expect((await getVideo(host, jobId, beyond)).status).toBe(416);
    expect((await getVideo(host, jobId, { ...beyond, "If-Range": '"0123456789abcdef"' })).status).toBe(200);
  });

  it("derives the ETag from the bytes: a photo's video has its own, the same for the same photo in two jobs", async () => {
    const sample = await whole();
    host.emulator.clock.set(Date.now());
    const photoJobs = [await submit(host, base64Photo), await submit(host, base64Photo)];
    host.emulator.clock.advance(15_000);
    const [first, second] = await Promise.all(photoJobs.map((id) => getVideo(host, id)));
    expect(first?.headers.get("etag")).toMatch(/^"[0-9a-f]{16}"$/);
    expect(first?.headers.get("etag")).not.toBe(sample.etag);
    expect(second?.headers.get("etag")).toBe(first?.headers.get("etag"));
    expect((await getVideo(host, photoJobs[0] as string, {}, true)).headers.get("etag")).toBe(sample.etag); // the mask: the sample video
  });
});

describe("video validators across a restart", () => {
  it("keeps a job's ETag and Last-Modified when the emulator comes back from its data directory", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vclm-emulator-validators-"));
    const seen = async (host: Host, jobId: string) => {
      const response = await getVideo(host, jobId);
      return [response.headers.get("etag"), response.headers.get("last-modified")];
    };
    const startAt = async (now: number): Promise<Host> => {
      const running = await startEmulator({ clock: "manual", port: 0, host: "127.0.0.1", dataDir });
      running.emulator.clock.set(now);
      return { emulator: running.emulator, url: running.url, send: (request) => fetch(request), close: () => running.close() };
    };
    try {
      const first = await startAt(Date.now());
      const jobId = await submit(first);
      first.emulator.clock.advance(15_000);
      const before = await seen(first, jobId);
      const now = first.emulator.clock.now();
      await first.close();
      const second = await startAt(now);
      try {
        expect(before[0]).toBeTruthy();
        expect(await seen(second, jobId)).toEqual(before);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
