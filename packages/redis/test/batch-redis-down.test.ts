// Redis goes away in the middle of a batch and stays away: the batch fails closed (no Submit after
// Redis stopped answering, a reason that names Redis), and when Redis is back, the same batch run
// again finishes every photo with none paid twice: nothing the journal held was lost.
import { createHash } from "node:crypto";
import { animateMany, type BatchEvent } from "@vclm/batch";
import { saveToDirectory } from "@vclm/batch/node";
import { VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { startEmulator } from "@vclm/emulator/node";
import { makeJpeg } from "@vclm/tools/photos";
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";
import Redis from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fromIoredis, redisAccountLimits, redisJournal } from "../src/index.js";
import { remove, tempRoot } from "./fleet/fleet.js";

let redis: RedisServer;
let service: Awaited<ReturnType<typeof startEmulator>>;
let root: string;
beforeAll(async () => {
  [redis, service, root] = await Promise.all([
    startRedisServer(),
    startEmulator({ schedule: { waitMs: 200, runMs: 800 }, photoVideos: false }),
    tempRoot(),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([service?.close(), redis?.stop()]);
  if (root) await remove(root);
});

const photos = Array.from({ length: 30 }, (_, i) => ({ name: `q${i}.jpg`, photo: makeJpeg(600 + i, 1000) }));
const client = () =>
  new VclmClient({
    region: "ap-singapore",
    endpoint: service.url,
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
  });

async function batch(onEvent?: (event: BatchEvent) => void) {
  // A client that does not queue commands while Redis is away: each one fails at once.
  const connection = new Redis(redis.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 200 });
  connection.on("error", () => {});
  await new Promise((resolve) => connection.once("ready", resolve));
  const command = fromIoredis(connection);
  const journal = await redisJournal(command, "down", { aliveMs: 2_000 });
  try {
    return await animateMany(client(), photos, {
      journal,
      limits: redisAccountLimits(command, { account: "down", leaseMs: 3_000 }),
      ...(await saveToDirectory(root)),
      ...(onEvent && { onEvent }),
    });
  } finally {
    await journal.close().catch(() => {});
    connection.disconnect();
  }
}

it("Redis gone mid-batch: no Submit after it stopped answering, and a reason naming Redis; back again, the batch finishes with none paid twice", async () => {
  const jobs = () => [...service.emulator.jobs.all()].length;
  let stoppedAt = -1;
  const first = await batch((event) => {
    if (event.type === "submitted" && event.counts.waiting + event.counts.running + event.counts.saved >= 8 && stoppedAt < 0) {
      stoppedAt = 0;
      void redis.stop({ kill: true, keepData: true }).then(() => (stoppedAt = jobs()));
    }
  });
  expect(stoppedAt).toBeGreaterThan(0);
  // At most the one Submit that was already past its claim when Redis died.
  expect(jobs()).toBeLessThanOrEqual(stoppedAt + 1);
  expect(first.stopped).toMatch(/Redis did not/);
  expect(first.counts.saved).toBeLessThan(photos.length);

  await redis.restart();
  const second = await batch();
  // A photo whose JobId Redis did not take is maybe-submitted: the first run's report gave its JobId, to adopt.
  expect(second.counts.saved + second.counts["maybe-submitted"]).toBe(photos.length);
  const perPhoto = new Map<string, number>();
  for (const job of service.emulator.jobs.all()) perPhoto.set(job.photo, (perPhoto.get(job.photo) ?? 0) + 1);
  expect([...perPhoto.values()].filter((n) => n > 1)).toEqual([]);
  const unsure = second.photos.filter((photo) => photo.outcome === "maybe-submitted");
  for (const photo of first.photos.filter((photo) => photo.unrecorded)) expect(unsure.map(({ name }) => name)).toContain(photo.name);
  // Any other: a claim Redis took as it died, whose Submit was never sent (no job).
  // (The emulator knows a photo by the SHA-256 of its base64, as it was sent.)
  const sent = (name: string) => {
    const bytes = photos.find((photo) => photo.name === name)?.photo as Uint8Array;
    return createHash("sha256").update(Buffer.from(bytes).toString("base64")).digest("hex");
  };
  expect(perPhoto.has(sent((photos[0] as { name: string }).name))).toBe(true); // the check below can fail
  for (const photo of unsure.filter(({ name }) => !first.photos.find((p) => p.name === name)?.unrecorded))
    expect(perPhoto.has(sent(photo.name)), photo.name).toBe(false);
  console.log(
    JSON.stringify({ jobsWhenRedisStopped: stoppedAt, firstRun: first.counts, stopped: first.stopped, secondRun: second.counts }),
  );
}, 120_000);
