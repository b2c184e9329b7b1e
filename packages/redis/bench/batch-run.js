// One batch in its own process (so that the emulator's work, in the bench's process, does not sit
// in its event loop and in its Redis timings): animateMany over PHOTOS photos, with its journal and
// limits as MODE says, each video downloaded and dropped. Sends the parent what it measured.
// MODE: "redis" (redisJournal + redisAccountLimits), "memory" (memoryJournal, the in-process limits)
// or "file" (fileJournal in DIR, the in-process limits). Also ENDPOINT, REDIS_URL, NAME, PHOTOS.
import { join } from "node:path";
import { animateMany, memoryJournal } from "@vclm/batch";
import { fileJournal } from "@vclm/batch/node";
import { openVideo, VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { largeJpeg } from "@vclm/tools/large-jpeg";
import Redis from "ioredis";
import { fromIoredis, redisAccountLimits, redisJournal } from "../dist/index.js";
import { countingCommand } from "./world.js";

const { MODE, ENDPOINT, REDIS_URL, NAME, DIR } = process.env;
const PHOTOS = Number(process.env.PHOTOS);
const LEASE_MS = 60_000;
const LIMITS = { concurrentJobs: 10, requestsPerSecond: 20 };

const client = new VclmClient({
  region: "ap-singapore",
  endpoint: ENDPOINT,
  credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
});
// Distinct photos (sizes differ), small: the Submit's body is not what is measured.
const photos = Array.from({ length: PHOTOS }, (_, i) => ({ name: `p${i}.jpg`, photo: largeJpeg(4_000 + i, 520 + (i % 300), 1000) }));
const save = async ({ url, JobId }) => {
  const { body } = await openVideo(url);
  return { location: JobId, bytes: (await new Response(body).arrayBuffer()).byteLength };
};

/** The journal's own calls, timed alike in every mode (Redis's round trips are also counted below it). */
function timed(journal) {
  const waits = [];
  const wrapped = { ...journal };
  for (const method of ["read", "append", "claim", "look", "takeOver"])
    if (typeof journal[method] === "function")
      wrapped[method] = async (...args) => {
        const start = performance.now();
        try {
          return await journal[method](...args);
        } finally {
          waits.push(performance.now() - start);
        }
      };
  return { journal: wrapped, waits };
}

let redis;
let counted;
let journal;
let options;
if (MODE === "redis") {
  redis = new Redis(REDIS_URL);
  await redis.ping();
  counted = countingCommand(fromIoredis(redis), { leaseMs: LEASE_MS });
  journal = await redisJournal(counted.command, NAME);
  options = { limits: redisAccountLimits(counted.command, { account: NAME, ...LIMITS, leaseMs: LEASE_MS }) };
} else {
  journal = MODE === "file" ? await fileJournal(join(DIR, "journal.jsonl")) : await memoryJournal();
  options = LIMITS;
}
const journalTimes = timed(journal);
process.send({ ready: true });
await new Promise((resolve) => process.once("message", resolve));

const cpu = process.cpuUsage();
const start = performance.now();
const report = await animateMany(client, photos, { journal: journalTimes.journal, save, ...options });
const wallMs = performance.now() - start;
const { user, system } = process.cpuUsage(cpu);
await journal.close?.();
redis?.disconnect();
process.send(
  {
    wallMs,
    cpuMs: (user + system) / 1000,
    counts: report.counts,
    submitted: report.submitted,
    journalWaits: journalTimes.waits,
    redisCalls: counted?.calls ?? [],
  },
  () => process.disconnect(),
);
