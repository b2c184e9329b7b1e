// Found by a review (issue 24), now fixed: a process watching photos another process holds never gives up while Redis is away.
// admitAll (packages/batch/src/watch-others.ts) does `catch { continue; }` around lookOnce, and
// maxWait is only checked inside a lookOnce that succeeded: with Redis gone, animateMany loops
// once a second for as long as the outage lasts (forever if it does not come back), with no
// report and no "stopped" reason, whatever maxWait says. The guide promises the opposite ("after
// 8 tries in a row it stops submitting and says why, naming Redis").
import { animateMany, type BatchReport } from "@vclm/batch";
import { saveToDirectory } from "@vclm/batch/node";
import { expect, it } from "vitest";
import { fromIoredis, redisAccountLimits, redisJournal } from "../../src/index.js";
import { photo, sleep, useWorld } from "./world.js";

const w = useWorld();

it("Redis gone while another process holds a photo: animateMany still ends (maxWait 2 s)", async () => {
  const x = photo(20);
  const name = crypto.randomUUID();
  const holderA = await redisJournal(w.command(), name, { holder: "machine-a" });
  expect(await holderA.claim({ type: "intent", key: x.key, name: x.name, at: Date.now() })).toBe(true); // A's Submit in flight
  // B: a client that does not queue while Redis is away (as batch-redis-down.test.ts uses).
  const connection = w.connect({ maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 200 });
  await new Promise((resolve) => connection.once("ready", resolve));
  const command = fromIoredis(connection);
  const journal = await redisJournal(command, name, { holder: "machine-b" });
  let report: BatchReport | undefined;
  const started = Date.now();
  const done = animateMany(w.client(), [{ name: x.name, photo: x.photo }], {
    journal,
    limits: redisAccountLimits(command, { account: name }),
    maxWait: 2_000,
    ...(await saveToDirectory(`${w.world.root}/${name}`)),
  }).then((r) => (report = r));
  await sleep(1_500); // B watches X
  await w.world.redis.stop({ kill: true, keepData: true });
  await sleep(20_000);
  const endedWhileRedisAway = report !== undefined;
  await w.world.redis.restart();
  await done;
  console.log(JSON.stringify({ endedWhileRedisAway, tookMs: Date.now() - started, photo: report?.photos[0], stopped: report?.stopped }));
  await journal.close().catch(() => {});
  expect(endedWhileRedisAway).toBe(true);
}, 90_000);
