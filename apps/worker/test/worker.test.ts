// The Worker in workerd (miniflare), bundled as wrangler would, against @vclm/emulator: a photo
// posted becomes a job, and the job's Durable Object alarm follows it to DONE after the submitting
// request has long ended. Credentials are Worker secrets.
import { readFileSync } from "node:fs";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng } from "../../../packages/core/test/photos.js";
import { signToken } from "../src/token.js";

const AUTH_SECRET = "worker-test-auth-secret-0000000000000000";
const bearer = async (user: string, expiresAt = Date.now() + 3_600_000, secret = AUTH_SECRET) => ({
  Authorization: `Bearer ${await signToken(user, expiresAt, secret)}`,
});

let emulator: RunningEmulator;
let mf: Miniflare;

beforeAll(async () => {
  emulator = await startEmulator({ schedule: { waitMs: 1_000, runMs: 2_000 } });
  const script = (
    await build({
      entryPoints: [new URL("../src/worker.ts", import.meta.url).pathname],
      bundle: true,
      format: "esm",
      platform: "neutral",
      mainFields: ["module", "main"],
      conditions: ["workerd", "worker", "browser"],
      write: false,
      logLevel: "error",
    })
  ).outputFiles[0]?.text as string;
  mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2026-07-01",
    durableObjects: { JOBS: "JobWatcher", RELAY_STORE: "RelayStoreObject" },
    bindings: {
      TENCENTCLOUD_SECRET_ID: DEMO_ACCOUNT.secretId,
      TENCENTCLOUD_SECRET_KEY: DEMO_ACCOUNT.secretKey,
      AUTH_SECRET,
      SUBMITS_PER_DAY: "3",
      VCLM_ENDPOINT: emulator.url,
    },
  });
});
afterAll(async () => {
  await mf?.dispose();
  await emulator?.close();
});

describe("apps/worker in workerd", () => {
  it("submits a posted photo, then the job's Durable Object alarm follows it to DONE on its own", async () => {
    const photo = readFileSync(new URL("../../../samples/dancer.jpg", import.meta.url));
    const submitted = await mf.dispatchFetch("http://worker/jobs?template=huajiangwu", {
      method: "POST",
      body: photo,
      headers: await bearer("alice"),
    });
    expect(submitted.status).toBe(202);
    const { JobId } = (await submitted.json()) as { JobId: string };
    expect(JobId).toMatch(/^\d+$/);

    // No request of ours drives the job from here: only the alarm does.
    const deadline = Date.now() + 20_000;
    let state: { Status: string; ResultVideoUrl?: string; checks: number } = { Status: "WAIT", checks: 0 };
    while (state.Status !== "DONE" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      state = (await (await mf.dispatchFetch(`http://worker/jobs/${JobId}`, { headers: await bearer("alice") })).json()) as typeof state;
    }
    expect(state.Status).toBe("DONE");
    expect(state.ResultVideoUrl).toMatch(/\/videos\/\d+\.mp4/);
    expect(state.checks).toBeGreaterThanOrEqual(2);
    const video = new Uint8Array(await (await fetch(state.ResultVideoUrl as string)).arrayBuffer());
    expect(new TextDecoder().decode(video.subarray(4, 8))).toBe("ftyp");
  }, 30_000);

  it("turns a photo the service would refuse into a clear 422, with no job", async () => {
    const before = emulator.emulator.jobs.size;
    const answer = await mf.dispatchFetch("http://worker/jobs", {
      method: "POST",
      body: Buffer.from(makePng(800, 800)),
      headers: await bearer("carol"),
    });
    expect(answer.status).toBe(422);
    expect(((await answer.json()) as { error: string }).error).toContain("FailedOperation.ImageRadioExcceed");
    expect(emulator.emulator.jobs.size).toBe(before);
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
      const answer = await mf.dispatchFetch("http://worker/jobs", { method: "POST", body: photo, headers });
      expect(answer.status).toBe(401);
    }
    expect(emulator.emulator.jobs.size).toBe(before);
  });

  it("keeps each user's daily quota in a Durable Object: the fourth Submit gets 429 and no job", async () => {
    const photo = readFileSync(new URL("../../../samples/dancer.jpg", import.meta.url));
    const before = emulator.emulator.jobs.size;
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await mf.dispatchFetch("http://worker/jobs", { method: "POST", body: photo, headers: await bearer("dave") })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(emulator.emulator.jobs.size - before).toBe(3);
    // Another user's quota is their own.
    expect((await mf.dispatchFetch("http://worker/jobs", { method: "POST", body: photo, headers: await bearer("erin") })).status).toBe(202);
  });

  it("shows a job to its owner only", async () => {
    const photo = readFileSync(new URL("../../../samples/dancer.jpg", import.meta.url));
    const { JobId } = (await (
      await mf.dispatchFetch("http://worker/jobs", { method: "POST", body: photo, headers: await bearer("frank") })
    ).json()) as { JobId: string };
    expect((await mf.dispatchFetch(`http://worker/jobs/${JobId}`, { headers: await bearer("frank") })).status).toBe(200);
    expect((await mf.dispatchFetch(`http://worker/jobs/${JobId}`, { headers: await bearer("grace") })).status).toBe(404);
  });
});
