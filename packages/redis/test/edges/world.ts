// The fleet edges' world: a real redis-server (AOF, fsync always), the emulator, a
// VclmClient on it, a temp folder for videos, and helpers to act as "another process" of a fleet.
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { startEmulator } from "@vclm/emulator/node";
import { makeJpeg } from "@vclm/tools/photos";
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";
import Redis from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { fromIoredis, type RedisCommand } from "../../src/index.js";

export function useWorld() {
  const world = {} as {
    redis: RedisServer;
    service: Awaited<ReturnType<typeof startEmulator>>;
    root: string;
    clients: Redis[];
  };
  world.clients = [];
  beforeAll(async () => {
    [world.redis, world.service, world.root] = await Promise.all([
      startRedisServer(),
      startEmulator({ schedule: { waitMs: 200, runMs: 800 }, photoVideos: false }),
      mkdtemp(join(tmpdir(), "vclm-review-")),
    ]);
  });
  afterAll(async () => {
    for (const client of world.clients) client.disconnect();
    await Promise.all([world.service?.close(), world.redis?.stop()]);
    if (world.root) await rm(world.root, { recursive: true, force: true });
  });
  const connect = (options: Record<string, unknown> = {}) => {
    const client = new Redis(world.redis.url, options as never);
    client.on("error", () => {});
    world.clients.push(client);
    return client;
  };
  return {
    world,
    connect,
    command: (options?: Record<string, unknown>): RedisCommand => fromIoredis(connect(options)),
    client: () =>
      new VclmClient({
        region: "ap-singapore",
        endpoint: world.service.url,
        credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
      }),
    /** Jobs the emulator made for each photo (by its SHA-256). */
    jobsPerPhoto: () => {
      const per = new Map<string, number>();
      for (const job of world.service.emulator.jobs.all()) per.set(job.photo, (per.get(job.photo) ?? 0) + 1);
      return per;
    },
    videos: async (folder: string) => (await readdir(folder).catch(() => [])).filter((name) => name.endsWith(".mp4")),
  };
}

export const photo = (i: number) => {
  const bytes = makeJpeg(500 + (i % 300), 1000);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  // The emulator names a job's photo by the SHA-256 of its ImageBase64 (the base64 text, not the bytes).
  const job = createHash("sha256").update(Buffer.from(bytes).toString("base64")).digest("hex");
  return { name: `r${i}.jpg`, photo: bytes, key: `ke3:${sha256}`, sha256, job };
};

/** Sends the Submit as a process of the fleet would, after its claim: the job exists (and is paid). */
export const submitDirectly = async (client: VclmClient, bytes: Uint8Array) =>
  (await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo: bytes })).JobId;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
