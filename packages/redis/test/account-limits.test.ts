// One account's limits shared by four "processes" (each its own Redis connection) through a real
// redis-server: the request rate paces every Submit of the fleet one interval apart, and the job
// slots are leases: at most the limit held at once, freed by release, by a lapsed lease (a process
// that died), and lowered by a refusal.
import Redis from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fromIoredis, redisAccountLimits } from "../src/index.js";
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";

let server: RedisServer;
const clients: Redis[] = [];
const fleet = (options: Omit<Parameters<typeof redisAccountLimits>[1], "account"> & { account?: string } = {}) => {
  const account = options.account ?? crypto.randomUUID();
  return [0, 1, 2, 3].map(() => {
    const client = new Redis(server.url);
    clients.push(client);
    return redisAccountLimits(fromIoredis(client), { ...options, account });
  });
};
beforeAll(async () => {
  server = await startRedisServer();
}, 120_000);
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

it("four processes taking 30 turns each at 100 a second: every turn is due at least one interval after the one before", async () => {
  const processes = fleet({ requestsPerSecond: 100 });
  const dues = (
    await Promise.all(
      processes.map(async (limits) =>
        Promise.all(Array.from({ length: 30 }, async () => Date.now() + (await limits.pace("SubmitImageAnimateJob")))),
      ),
    )
  )
    .flat()
    .sort((a, b) => a - b);
  expect(dues).toHaveLength(120);
  const gaps = dues.slice(1).map((due, i) => due - (dues[i] as number));
  // 10 ms apart, less the ms rounding of two clocks' reads: never a burst.
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(8);
  expect((dues.at(-1) as number) - (dues[0] as number)).toBeGreaterThanOrEqual(119 * 9);
});

it("40 acquires at once by four processes with 10 slots: 10 held; released ones are taken again", async () => {
  const processes = fleet({ concurrentJobs: 10 });
  const got = await Promise.all(Array.from({ length: 40 }, (_, i) => processes[i % 4]?.acquire(`photo-${i}`)));
  const held = got.flatMap((ok, i) => (ok ? [`photo-${i}`] : []));
  expect(held).toHaveLength(10);
  for (const holder of held.slice(0, 3)) await processes[0]?.release(holder);
  const again = await Promise.all(Array.from({ length: 5 }, (_, i) => processes[1]?.acquire(`again-${i}`)));
  expect(again.filter(Boolean)).toHaveLength(3);
});

it("a process that dies frees its slots when their leases lapse; a live one keeps its slot by renewing", async () => {
  const [dead, live, other] = fleet({ concurrentJobs: 2, leaseMs: 400 });
  expect(await dead?.acquire("dead-1")).toBe(true);
  expect(await live?.acquire("live-1")).toBe(true);
  expect(await other?.acquire("other-1")).toBe(false);
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await live?.renew("live-1")).toBe(true);
  }
  // 600 ms on: the dead process's lease has lapsed, the live one's has not.
  expect(await other?.acquire("other-1")).toBe(true);
  expect(await other?.acquire("other-2")).toBe(false);
  expect(await dead?.renew("dead-1")).toBe(false); // it lapsed: another may hold it now
});

it("a refusal (JobNumExceed) teaches the fleet a lower limit: the slots held by the others", async () => {
  const processes = fleet({ concurrentJobs: 10 });
  for (let i = 0; i < 5; i++) expect(await processes[i % 4]?.acquire(`held-${i}`)).toBe(true);
  // The fifth holder's Submit was refused: the account runs 4 jobs at most.
  expect(await processes[0]?.refused("held-4")).toBe(4);
  await processes[0]?.release("held-4");
  expect(await processes[2]?.acquire("new")).toBe(false);
  await processes[1]?.release("held-0");
  expect(await processes[3]?.acquire("new")).toBe(true);
});
