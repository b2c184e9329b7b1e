// The Worker in workerd (miniflare), bundled as wrangler would, against @vclm/emulator: a photo
// posted goes to R2, through the Queue to the account's coordinator, and becomes a job whose
// ImageUrl is a signed link to it (the emulator downloads and checks it); the coordinator's alarm
// follows it to DONE after the submitting request has long ended, then keeps the video in R2.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { DescribeImageAnimateJob, VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { makePng } from "@vclm/tools/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PHOTO_LINK_SECRET, startService } from "./service.js";

const sha256 = (bytes: ArrayBuffer | Uint8Array) => createHash("sha256").update(new Uint8Array(bytes)).digest("hex");

let service: Awaited<ReturnType<typeof startService>>;
let origin: string;
let bearer: typeof service.bearer;
let waitFor: typeof service.waitFor;
let emulator: typeof service.emulator;
let mf: typeof service.mf;
let output: typeof service.output;

beforeAll(async () => {
  service = await startService({
    emulator: { schedule: { waitMs: 1_000, runMs: 2_000 } },
    bindings: { SUBMITS_PER_DAY: "3", VCLM_LOG: "debug" },
    keepOutput: true,
  });
  ({ origin, bearer, waitFor, emulator, mf, output } = service);
});
afterAll(() => service?.close());

describe("apps/worker in workerd", () => {
  it("stores a posted photo in R2, submits a signed link to it, follows the job to DONE from its alarm, and keeps the video in R2", async () => {
    const photo = readFileSync(new URL("../../../samples/dancer.jpg", import.meta.url));
    const submitted = await fetch(`${origin}/jobs?template=huajiangwu`, {
      method: "POST",
      body: photo,
      headers: await bearer("alice"),
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    // Queued, then admitted by the coordinator: the service got a link, not the photo (a signed,
    // expiring URL of this Worker, which it downloaded and checked).
    const { JobId } = await waitFor(id, "alice", (job) => Boolean(job.JobId));
    const job = emulator.emulator.jobs.find(JobId as string);
    expect(job?.photo).toMatch(new RegExp(`^${origin}/photos/[\\w-]+\\?expires=\\d+&sig=[\\w-]+$`));
    // No request of ours drives the job from here: only the coordinator's alarm does.
    const state = await waitFor(id, "alice", (view) => Boolean(view.video));
    expect(state.Status).toBe("DONE");
    expect(state.checks).toBeGreaterThanOrEqual(1);
    // The video, kept in R2, is the one the emulator made from the downloaded photo, byte for byte.
    // (Read through the link the service gives, as the coordinator did: its video links are signed.)
    const service = new VclmClient({ region: "ap-singapore", credentials: DEMO_ACCOUNT, endpoint: emulator.url });
    const { ResultVideoUrl } = await service.send(DescribeImageAnimateJob, { JobId: JobId as string });
    const made = new Uint8Array(await (await fetch(ResultVideoUrl)).arrayBuffer());
    expect(made.length).toBeGreaterThan(1_000_000);
    const kept = await fetch(`${origin}/jobs/${id}/video`, { headers: await bearer("alice") });
    expect(kept.headers.get("content-type")).toBe("video/mp4");
    expect(sha256(await kept.arrayBuffer())).toBe(sha256(made));
    const ranged = await fetch(`${origin}/jobs/${id}/video`, { headers: { ...(await bearer("alice")), Range: "bytes=4-7" } });
    expect(ranged.status).toBe(206);
    expect(new TextDecoder().decode(await ranged.arrayBuffer())).toBe("ftyp");
    expect((await fetch(`${origin}/jobs/${id}/video`, { headers: await bearer("grace") })).status).toBe(404);
    // The link the service was given, replayed once the job is over: the photo is gone, 403.
    expect((await fetch(job?.photo as string)).status).toBe(403);
    // VCLM_LOG=debug: the coordinator logged its alarms and calls to the console, with no secret.
    const logged = output();
    expect(logged).toMatch(/alarm: admitted 1, checked 0/);
    expect(logged).toMatch(/DescribeImageAnimateJob: 200 JobId \d+ DONE/);
    expect(logged).toContain(`job ${JobId} (submission ${id}): DONE, its video kept`);
    for (const secret of [DEMO_ACCOUNT.secretKey, "sig=", "Signature="]) expect(logged).not.toContain(secret);
    // The photo is gone from R2 once the job is done: the service has it.
    const bucket = await mf.getR2Bucket("BUCKET");
    expect((await bucket.list({ prefix: "photos/" })).objects.map((object) => object.key)).not.toContain(
      new URL(job?.photo as string).pathname.slice(1),
    );
  }, 30_000);

  it("serves a photo only through an unexpired link it signed: forged, changed or expired links get 403", async () => {
    const bucket = await mf.getR2Bucket("BUCKET");
    await bucket.put("photos/test-photo", new Uint8Array([0xff, 0xd8, 1, 2, 3]), { httpMetadata: { contentType: "image/jpeg" } });
    const { photoLink } = await import("@vclm/workers");
    const good = await photoLink(origin, "test-photo", PHOTO_LINK_SECRET);
    expect((await fetch(good)).status).toBe(200);
    const url = new URL(good);
    const changedKey = good.replace("/photos/test-photo", "/photos/other-photo");
    const laterExpiry = good.replace(/expires=\d+/, `expires=${Number(url.searchParams.get("expires")) + 3600}`);
    const forged = await photoLink(origin, "test-photo", "a-secret-the-worker-does-not-have");
    const expired = await photoLink(origin, "test-photo", PHOTO_LINK_SECRET, Date.now() - 3_600_000);
    for (const link of [changedKey, laterExpiry, forged, expired, `${origin}/photos/test-photo`])
      expect((await fetch(link)).status).toBe(403);
  });

  it("takes a 10 MB photo without holding it: streamed into R2 byte for byte, downloaded and checked by the service", async () => {
    const { largeJpeg } = await import("@vclm/tools/large-jpeg");
    const photo = largeJpeg(10_000_000);
    const answer = await fetch(`${origin}/jobs`, { method: "POST", body: photo, headers: await bearer("henry") });
    expect(answer.status).toBe(202);
    const { id } = (await answer.json()) as { id: string };
    const { JobId } = await waitFor(id, "henry", (job) => Boolean(job.JobId));
    const key = new URL(emulator.emulator.jobs.find(JobId as string)?.photo as string).pathname.slice(1);
    const stored = await (await mf.getR2Bucket("BUCKET")).get(key);
    expect(sha256(await (stored as unknown as Response).arrayBuffer())).toBe(sha256(photo));
  }, 30_000);

  it("turns a photo the service would refuse into a clear 422, with no job and nothing stored", async () => {
    const before = emulator.emulator.jobs.size;
    const photosIn = async () => (await (await mf.getR2Bucket("BUCKET")).list({ prefix: "photos/" })).objects.map((object) => object.key);
    const stored = await photosIn();
    const answer = await fetch(`${origin}/jobs`, {
      method: "POST",
      body: Buffer.from(makePng(800, 800)),
      headers: await bearer("carol"),
    });
    expect(answer.status).toBe(422);
    expect(((await answer.json()) as { error: string }).error).toContain("FailedOperation.ImageRadioExcceed");
    expect(emulator.emulator.jobs.size).toBe(before);
    expect((await photosIn()).filter((key) => !stored.includes(key))).toEqual([]); // (others' photos may go meanwhile)
  });

  it("answers 401 to a request without a valid token (none, forged, expired, another key) and creates no job", async () => {
    const photo = readFileSync(new URL("../../../samples/dancer.jpg", import.meta.url));
    const before = emulator.emulator.jobs.size;
    const genuine = (await bearer("mallory")).Authorization;
    const tampered = genuine.replace(/^Bearer [\w-]+/, `Bearer ${btoa(JSON.stringify({ sub: "alice", exp: 9e9 })).replace(/=+$/, "")}`);
    for (const headers of [
      {},
      { Authorization: tampered },
      await bearer("mallory", Date.now() - 1_000),
      await bearer("mallory", Date.now() + 3_600_000, "a-key-the-worker-does-not-have-000000"),
      { Authorization: "Basic bWFsbG9yeTpwYXNz" },
    ]) {
      const answer = await fetch(`${origin}/jobs`, { method: "POST", body: photo, headers });
      expect(answer.status).toBe(401);
      // Reading is refused alike: a job's state and its video.
      for (const path of ["/jobs/00000000-0000-0000-0000-000000000000", "/jobs/00000000-0000-0000-0000-000000000000/video"])
        expect((await fetch(`${origin}${path}`, { headers })).status).toBe(401);
    }
    expect(emulator.emulator.jobs.size).toBe(before);
  });

  it("keeps each user's daily quota in a Durable Object: the fourth Submit gets 429 and no job", async () => {
    const photo = readFileSync(new URL("../../../samples/dancer.jpg", import.meta.url));
    const before = emulator.emulator.jobs.size;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await fetch(`${origin}/jobs`, { method: "POST", body: photo, headers: await bearer("dave") }));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 429]);
    for (const answer of answers.slice(0, 3))
      await waitFor(((await answer.json()) as { id: string }).id, "dave", (job) => Boolean(job.JobId));
    expect(emulator.emulator.jobs.size - before).toBe(3);
    // Another user's quota is their own.
    expect((await fetch(`${origin}/jobs`, { method: "POST", body: photo, headers: await bearer("erin") })).status).toBe(202);
  });

  it("shows a job to its owner only", async () => {
    const photo = readFileSync(new URL("../../../samples/dancer.jpg", import.meta.url));
    const { id } = (await (await fetch(`${origin}/jobs`, { method: "POST", body: photo, headers: await bearer("frank") })).json()) as {
      id: string;
    };
    await waitFor(id, "frank", (job) => Boolean(job.state));
    expect((await fetch(`${origin}/jobs/${id}`, { headers: await bearer("frank") })).status).toBe(200);
    expect((await fetch(`${origin}/jobs/${id}`, { headers: await bearer("grace") })).status).toBe(404);
  });
});
