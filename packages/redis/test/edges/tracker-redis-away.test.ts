// Found by a second review (issue 24), now fixed: with the guide's own client (`new Redis(url)`: ioredis queues
// commands while it reconnects), JobTracker with `limits` nearly stops describing while Redis is
// away. The guide says it "keeps to its own requestsPerSecond until the shared limits answer
// again". #pump awaits #turn (limits.pace) inline, one Describe at a time, and a queued pace()
// only rejects after ioredis gives up on it (maxRetriesPerRequest reconnections): every Describe
// of every tracked job waits that long. The same queueing stretches animateMany's "8 tries" and the
// watch loop's "30 unanswered looks" from seconds to many minutes.
import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { startEmulator } from "@vclm/emulator/node";
import { JobTracker } from "@vclm/poller";
import { makeJpeg } from "@vclm/tools/photos";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fromIoredis, redisAccountLimits } from "../../src/index.js";
import { useRedisServer } from "../redis.js";

const redis = useRedisServer();
let service: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  service = await startEmulator({ schedule: { waitMs: 120_000, runMs: 120_000 }, photoVideos: false });
});
afterAll(async () => service?.close());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("Redis away: a tracker with shared limits keeps describing at its own rate", async () => {
  let describes = 0;
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: service.url,
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    fetch: (input, init) => {
      const headers = input instanceof Request ? input.headers : new Headers(init?.headers);
      if (headers.get("x-tc-action") === DescribeImageAnimateJob.action) describes++;
      return fetch(input, init);
    },
  });
  const jobs = [];
  for (let i = 0; i < 10; i++)
    jobs.push((await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo: makeJpeg(700 + i, 1000) })).JobId);
  // The guide's JobTracker example: a default ioredis client.
  const limits = redisAccountLimits(fromIoredis(redis.connect()), { account: crypto.randomUUID() });
  const tracker = new JobTracker(client, { limits });
  const stop = new AbortController();
  for (const JobId of jobs) tracker.track(JobId, { signal: stop.signal }).catch(() => {});
  await sleep(10_000);
  const up = describes;
  await redis.server.stop({ kill: true, keepData: true });
  const paceStarted = Date.now();
  const paced = limits.pace("X").then(
    () => "answered",
    (error: Error) => error.name,
  );
  await sleep(20_000);
  const away = describes - up;
  const paceAfter20s = await Promise.race([paced, sleep(0).then(() => "still waiting")]);
  await redis.server.restart();
  await paced;
  const paceMs = Date.now() - paceStarted;
  stop.abort();
  console.log(JSON.stringify({ describesIn10sWithRedis: up, describesIn20sWithRedisAway: away, paceAfter20s, paceSettledAfterMs: paceMs }));
  expect(up).toBeGreaterThan(20);
  expect(away).toBeGreaterThanOrEqual(up / 2); // 20 s away vs 10 s up
}, 90_000);
