// Result videos are served only by the signed, expiring link DescribeImageAnimateJob gives, as COS
// serves a private object only by a presigned URL: a bare link, a changed signature, path or
// expiry, and an expired link get 403 with a short XML reason, and say nothing of which jobs exist.
// The key survives a restart with a data directory, so do the links.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../src/emulator.js";
import { startEmulator } from "../src/node.js";
import { answerOf, signedRequest } from "./signed.js";

const ORIGIN = "http://emulator.test";
const submitBody = JSON.stringify({ TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg", EnableSegment: true });

/** Submits a job through `send` and moves the clock until it is DONE; its Describe answer. */
async function doneJob(emulator: Emulator, url: string, send: (request: Request) => Promise<Response>) {
  emulator.clock.set(Date.now()); // the time the requests are signed at
  const { JobId } = await answerOf(await send(await signedRequest(url, { action: "SubmitImageAnimateJob", body: submitBody })));
  emulator.clock.advance(15_000);
  const done = await answerOf(await send(await signedRequest(url, { body: JSON.stringify({ JobId }) })));
  return { JobId: JobId as string, ResultVideoUrl: done.ResultVideoUrl as string, MaskVideoUrl: done.MaskVideoUrl as string };
}

describe("video links", () => {
  let emulator: Emulator;
  let job: Awaited<ReturnType<typeof doneJob>>;
  const get = (url: string, headers: Record<string, string> = {}) => emulator.fetch(new Request(new URL(url, ORIGIN), { headers }));
  /** The link with its query changed by `change`. */
  const changed = (link: string, change: (query: URLSearchParams) => void) => {
    const url = new URL(link);
    change(url.searchParams);
    return url.href;
  };
  beforeEach(async () => {
    emulator = createEmulator({ clock: "manual" });
    job = await doneJob(emulator, `${ORIGIN}/`, (request) => emulator.fetch(request));
  });

  it("are signed and expiring: expires (24 h after the job was done) and a signature, on the result and the mask video", async () => {
    const found = emulator.jobs.find(job.JobId);
    const expires = Math.floor(((found?.createdAt ?? 0) + 15_000 + 24 * 3600_000) / 1000);
    expect(job.ResultVideoUrl).toMatch(new RegExp(`^${ORIGIN}/videos/${job.JobId}\\.mp4\\?expires=${expires}&signature=[0-9a-f]{64}$`));
    expect(job.MaskVideoUrl).toMatch(
      new RegExp(`^${ORIGIN}/videos/${job.JobId}\\.mask\\.mp4\\?expires=${expires}&signature=[0-9a-f]{64}$`),
    );
    for (const link of [job.ResultVideoUrl, job.MaskVideoUrl]) {
      const video = await get(link);
      expect(video.status).toBe(200);
      expect(video.headers.get("content-type")).toBe("video/mp4");
    }
  });

  it("the same link at every Describe, and through any host that reaches the emulator (the host is not signed)", async () => {
    const again = await answerOf(await emulator.fetch(await signedRequest(`${ORIGIN}/`, { body: JSON.stringify({ JobId: job.JobId }) })));
    expect(again.ResultVideoUrl).toBe(job.ResultVideoUrl);
    const { pathname, search } = new URL(job.ResultVideoUrl);
    expect((await get(`http://proxy.example.test:8080${pathname}${search}`)).status).toBe(200);
  });

  it("refuses a bare link, without expires and signature, 403 AccessDenied in XML, for a job that exists or not", async () => {
    for (const bare of [`/videos/${job.JobId}.mp4`, `/videos/${job.JobId}.mp4?expires=4102444800`, "/videos/1.mp4"]) {
      const refused = await get(bare);
      expect(refused.status).toBe(403);
      expect(refused.headers.get("content-type")).toBe("application/xml");
      expect(await refused.text()).toMatch(
        /^<\?xml[^>]*>\n<Error><Code>AccessDenied<\/Code><Message>Access Denied: a video link needs its expires and signature/,
      );
    }
  });

  it("refuses a link whose signature, expiry or path was changed: 403 SignatureDoesNotMatch", async () => {
    const later = changed(job.ResultVideoUrl, (query) => query.set("expires", String(Number(query.get("expires")) + 86_400)));
    const forged = changed(job.ResultVideoUrl, (query) => query.set("signature", "0".repeat(64)));
    const otherPath = job.ResultVideoUrl.replace(".mp4?", ".mask.mp4?");
    for (const link of [later, forged, otherPath]) {
      const refused = await get(link);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    }
  });

  it("keeps Range and If-Range on a signed link: 206 with the part", async () => {
    const whole = await get(job.ResultVideoUrl);
    const etag = whole.headers.get("etag") as string;
    const part = await get(job.ResultVideoUrl, { Range: "bytes=0-99", "If-Range": etag });
    expect(part.status).toBe(206);
    expect(part.headers.get("etag")).toBe(etag);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
  });

  it("refuses the link once it has expired, 24 h after the job was done: 403 Request has expired", async () => {
    emulator.clock.advance(24 * 3600_000 - 60_000);
    expect((await get(job.ResultVideoUrl)).status).toBe(200);
    emulator.clock.advance(61_000);
    const expired = await get(job.ResultVideoUrl);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("<Code>AccessDenied</Code><Message>Request has expired</Message>");
  });

  it("never shows the key: not in the 403, not in the link", async () => {
    const { videoKey } = emulator.snapshot();
    expect(videoKey).toMatch(/^[0-9a-f]{64}$/);
    const refused = await (await get(changed(job.ResultVideoUrl, (query) => query.set("signature", "1".repeat(64))))).text();
    expect(refused).not.toContain(videoKey);
    expect(job.ResultVideoUrl).not.toContain(videoKey);
  });

  it("are refused by another emulator (another key), and a state with a broken key is refused with a reason that does not show it", async () => {
    const other = createEmulator({ clock: "manual" });
    const { videoKey: _, ...jobs } = emulator.snapshot();
    other.restore(jobs); // the jobs, not the key
    other.clock.set(emulator.clock.now());
    expect((await other.fetch(new Request(job.ResultVideoUrl))).status).toBe(403);
    const broken = "z".repeat(64);
    expect(() => other.restore({ ...emulator.snapshot(), videoKey: broken })).toThrow(
      /videoKey in the saved state\) must be 64 lower-case hex digits/,
    );
    expect(() => other.restore({ ...emulator.snapshot(), videoKey: broken })).not.toThrow(broken);
  });
});

describe("video links across a restart", () => {
  it("still download after the emulator comes back from its data directory (the key is kept with the jobs)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vclm-emulator-links-"));
    try {
      const first = await startEmulator({ clock: "manual", dataDir });
      const job = await doneJob(first.emulator, first.url, (request) => fetch(request));
      expect((await fetch(job.ResultVideoUrl)).status).toBe(200);
      const now = first.emulator.clock.now();
      await first.close();
      const second = await startEmulator({ clock: "manual", dataDir });
      try {
        second.emulator.clock.set(now);
        const { pathname, search } = new URL(job.ResultVideoUrl);
        const video = await fetch(new URL(`${pathname}${search}`, second.url)); // another port: the host is not signed
        expect(video.status).toBe(200);
        expect(video.headers.get("content-type")).toBe("video/mp4");
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
