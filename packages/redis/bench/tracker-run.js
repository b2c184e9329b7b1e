// One process of the tracking fleet: a JobTracker waits for the jobs the parent sends (JobId, when
// submitted, when done), under the rate as MODE says: "local" (the tracker's own requestsPerSecond
// RATE) or "redis" (redisAccountLimits, the fleet's one rate of RATE). Sends the parent what it measured.
// Also ENDPOINT, REDIS_URL, ACCOUNT.
import { VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { JobTracker } from "@vclm/poller";
import Redis from "ioredis";
import { fromIoredis, redisAccountLimits } from "../dist/index.js";
import { countingCommand } from "./world.js";

const { MODE, ENDPOINT, REDIS_URL, ACCOUNT } = process.env;
const RATE = Number(process.env.RATE);

// When each Describe left this process (every call this client makes is one), and the ones that
// never got an answer (the tracker tries them again), by why.
const sent = [];
const unanswered = {};
const client = new VclmClient({
  region: "ap-singapore",
  endpoint: ENDPOINT,
  fetch: (input, init) => {
    sent.push(Date.now());
    return fetch(input, init).catch((error) => {
      const why = String(error?.cause?.code ?? error?.cause?.message ?? error?.message);
      unanswered[why] = (unanswered[why] ?? 0) + 1;
      throw error;
    });
  },
  credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
});
let redis;
let counted;
let limits;
if (MODE === "redis") {
  redis = new Redis(REDIS_URL);
  await redis.ping();
  counted = countingCommand(fromIoredis(redis), { leaseMs: 60_000 });
  limits = redisAccountLimits(counted.command, { account: ACCOUNT, requestsPerSecond: RATE });
}
const tracker = new JobTracker(client, { requestsPerSecond: RATE, ...(limits && { limits }) });
process.send({ ready: true });

const { jobs } = await new Promise((resolve) => process.once("message", resolve));
const start = performance.now();
const lags = [];
let failed = 0;
await Promise.all(
  jobs.map(([JobId, startedAt, doneAt]) =>
    tracker.track(JobId, { startedAt }).then(
      () => lags.push(Date.now() - doneAt),
      () => failed++,
    ),
  ),
);
const wallMs = performance.now() - start;
redis?.disconnect();
process.send({ wallMs, lags, failed, sent, unanswered, redisCalls: counted?.calls ?? [] }, () => process.disconnect());
