// One account's limits shared by four "processes" (each its own Redis connection) through a real
// redis-server: the request rate paces every Submit of the fleet one interval apart, and the job
// slots are leases: at most the limit held at once, freed by release, by a lapsed lease (a process
// that died), and lowered by a refusal.

import { expect, it } from "vitest";
import { paceTurn } from "../src/account-limits.js";
import { redisAccountLimits } from "../src/index.js";
import { useRedisServer } from "./redis.js";

const redis = useRedisServer();
const fleet = (options: Omit<Parameters<typeof redisAccountLimits>[1], "account"> & { account?: string } = {}) => {
  const account = options.account ?? crypto.randomUUID();
  return [0, 1, 2, 3].map(() => redisAccountLimits(redis.command(), { ...options, account }));
};

it("four processes taking 30 turns each at 100 a second: every turn is due one interval after the one before, on Redis's clock", async () => {
  const key = `vclm:test:{${crypto.randomUUID()}}:rate:SubmitImageAnimateJob`;
  const commands = [0, 1, 2, 3].map(() => redis.command());
  const turns = (await Promise.all(commands.map((command) => Promise.all(Array.from({ length: 30 }, () => paceTurn(command, key, 100))))))
    .flat()
    .sort((a, b) => a.due - b.due);
  expect(turns).toHaveLength(120);
  const gaps = turns.slice(1).map((turn, i) => turn.due - (turns[i] as { due: number }).due);
  // 10 ms apart, less Redis TIME's rounding to a ms: never two turns at once, never a burst.
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(9);
  expect((turns.at(-1) as { due: number }).due - (turns[0] as { due: number }).due).toBeGreaterThanOrEqual(119 * 10 - 120);
  // And the waits each was told add up to that spacing: the last was told to wait about 1.2 s.
  expect(Math.max(...turns.map((turn) => turn.wait))).toBeGreaterThan(1_000);
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
    await live?.renew(["live-1"]);
  }
  // 600 ms on: the dead process's lease has lapsed, the live one's has not.
  expect(await other?.acquire("other-1")).toBe(true);
  expect(await other?.acquire("other-2")).toBe(false);
  // A job taken over holds its slot whatever the limit: the account runs it.
  await other?.hold("dead-1");
  expect(await live?.acquire("live-2")).toBe(false);
  await other?.release("other-1");
  await other?.release("dead-1");
  expect(await live?.acquire("live-2")).toBe(true);
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
