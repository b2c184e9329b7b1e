// One process of a fleet: animateMany over the whole photo folder, in its own order, with the
// journal and the account's limits in Redis. Prints its report as one JSON line, then exits.
// Environment: REDIS_URL, VCLM_ENDPOINT, PHOTOS, OUT, JOURNAL, SEED, ALIVE_MS, LEASE_MS.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { animateMany } from "@vclm/batch";
import { saveToDirectory } from "@vclm/batch/node";
import { VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { fromIoredis, redisAccountLimits, redisJournal } from "@vclm/redis";
import { retry } from "@vclm/retry";
import Redis from "ioredis";

const env = process.env;
const redis = new Redis(env.REDIS_URL);
redis.on("error", () => {}); // a restarting Redis: ioredis reconnects and sends what waited
const command = fromIoredis(redis);

// Its own order: a seeded shuffle of the whole list.
let seed = Number(env.SEED);
const random = () => {
  seed = (seed * 48271) % 2147483647; // Park and Miller: exact in doubles
  return seed / 2147483647;
};
const names = (await readdir(env.PHOTOS)).sort();
for (let i = names.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [names[i], names[j]] = [names[j], names[i]];
}
const photos = names.map((name) => ({ name, photo: () => readFile(join(env.PHOTOS, name)) }));

const client = new VclmClient({
  region: "ap-singapore",
  endpoint: env.VCLM_ENDPOINT,
  credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
}).use(retry()); // as users run it: a fault that provably sent nothing is tried again, a Submit that may have arrived is not
const journal = await redisJournal(command, env.JOURNAL, { aliveMs: Number(env.ALIVE_MS ?? 15_000) });
const limits = redisAccountLimits(command, {
  account: env.JOURNAL,
  concurrentJobs: 10,
  requestsPerSecond: 20,
  leaseMs: Number(env.LEASE_MS ?? 60_000),
});
console.log(JSON.stringify({ started: journal.holder, pid: process.pid }));
const events = {};
try {
  const report = await animateMany(client, photos, {
    journal,
    limits,
    ...(await saveToDirectory(env.OUT)),
    onEvent: (event) => {
      events[event.type] = (events[event.type] ?? 0) + 1;
      if (event.type === "submitting") console.log(JSON.stringify({ submitting: event.name }));
    },
  });
  console.log(
    JSON.stringify({ holder: journal.holder, counts: report.counts, submitted: report.submitted, events, photos: report.photos }),
  );
} finally {
  await journal.close();
  redis.disconnect();
}
