import type { AccountLimits } from "@vclm/core";
import type { RedisCommand } from "./command.js";
import { luaScript } from "./script.js";

// The account's limits, shared by every process: the per-action request rate (GCRA, as core's
// RateWindow, on the server's clock so machines with skewed clocks agree), and the concurrent job
// slots (leases in a sorted set, scored by when they lapse: a process that dies gives its slots
// back when its leases run out). Each step is one script.
const PACE = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local due = tonumber(redis.call('GET', KEYS[1]) or '0')
local wait = math.max(0, due - tonumber(ARGV[2]) - now)
local next_due = math.max(due, now) + interval
redis.call('SET', KEYS[1], next_due, 'PX', math.ceil(next_due - now) + 1000)
return {math.ceil(wait), tostring(math.max(due, now))}`);
// KEYS: slots, learnt limit. ARGV: the limit given, lease ms, holder.
const ACQUIRE = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local max = tonumber(redis.call('GET', KEYS[2]) or ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= max then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1`);
// KEYS: slots. ARGV: lease ms, holders... A job that still runs keeps its slot, even one whose lease lapsed.
const HOLD = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 1`);
// KEYS: slots, learnt limit. ARGV: the limit given, how long a learnt one is kept, the refused holder.
const REFUSED = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local others = redis.call('ZCARD', KEYS[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then others = others - 1 end
local running = math.max(1, others)
local max = tonumber(redis.call('GET', KEYS[2]) or ARGV[1])
if running < max then redis.call('SET', KEYS[2], running, 'PX', ARGV[2]) return running end
return max`);

/**
 * How {@link redisAccountLimits} shares an account's limits.
 *
 * @example
 * ```ts
 * const options: RedisAccountLimitsOptions = { account: "100000000001", concurrentJobs: 10, requestsPerSecond: 20 };
 * ```
 */
export interface RedisAccountLimitsOptions {
  /** Names the account in the keys (its AppId, or any name the fleet shares). */
  readonly account: string;
  /** The account's concurrent jobs, until a refusal teaches fewer. @default 10 */
  readonly concurrentJobs?: number;
  /** Each action's requests per second, across the fleet: the service's limit. @default 20 */
  readonly requestsPerSecond?: number;
  /**
   * The share of `requestsPerSecond` kept unused, so that a call leaving late (a slow Redis reply,
   * a busy machine) does not push one second over the service's limit. @default 0.1
   */
  readonly headroom?: number;
  /** How long a slot is held without a renewal: a process that dies frees its slots after this. @default 60_000 */
  readonly leaseMs?: number;
  /**
   * How long a learnt (lower) job limit is kept before the account's own is tried again (each
   * refusal learns it again). Short, as core's `JobLimit` probes after a quiet minute: a refusal
   * after an outage longer than `leaseMs` counts no slots and learns a limit of 1. @default 60_000
   */
  readonly learntForMs?: number;
  /** @default "vclm:account:" */
  readonly prefix?: string;
}

/**
 * One account's limits, shared by every process of a fleet through Redis: the request rate of each
 * action (one token bucket on Redis's clock, so machines whose clocks disagree still keep to it),
 * the concurrent job slots, held as leases (a process that dies gives its slots back when their
 * leases run out; a live one renews them), and the job limit learnt from JobNumExceed. Give it to
 * `animateMany` and `JobTracker` as `limits`. When Redis does not answer, each step rejects with a
 * {@link RedisLimitsError}, and no Submit is sent without its turn and its slot.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import { animateMany, memoryJournal } from "@vclm/batch";
 * import { saveToDirectory } from "@vclm/batch/node";
 * import { VclmClient } from "@vclm/core";
 * import { fromIoredis, redisAccountLimits } from "@vclm/redis";
 * import Redis from "ioredis";
 *
 * const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
 * const limits = redisAccountLimits(fromIoredis(redis), { account: "100000000001" });
 * const photos = ["alice.jpg", "bob.jpg"].map((name) => ({ name, photo: () => readFile(name) }));
 * const client = new VclmClient({ region: "ap-singapore" });
 * await animateMany(client, photos, { journal: await memoryJournal(), limits, ...(await saveToDirectory("videos")) });
 * redis.disconnect();
 * ```
 */
export function redisAccountLimits(command: RedisCommand, options: RedisAccountLimitsOptions): AccountLimits {
  const {
    account,
    concurrentJobs = 10,
    requestsPerSecond = 20,
    headroom = 0.1,
    leaseMs = 60_000,
    learntForMs = 60_000,
    prefix = "vclm:account:",
  } = options;
  // One hash tag: an account's keys are in one slot of a Redis Cluster.
  const base = `${prefix}{${account}}:`;
  const slots = `${base}slots`;
  const limit = `${base}job-limit`;
  if (!(requestsPerSecond > 0 && Number.isFinite(requestsPerSecond)))
    throw new RangeError(`requestsPerSecond must be a positive number, not ${requestsPerSecond}`);
  if (!(headroom >= 0 && headroom < 1)) throw new RangeError(`headroom must be at least 0 and below 1, not ${headroom}`);
  const interval = 1000 / (requestsPerSecond * (1 - headroom));
  const send = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new RedisLimitsError(`Redis did not ${what} (account ${account}): ${(error as Error)?.message ?? error}`, { cause: error });
    }
  };
  return {
    renewEveryMs: Math.max(1, Math.floor(leaseMs / 3)),
    async pace(action) {
      const [wait] = (await send(`give a turn of ${action}'s rate`, () => PACE(command, [`${base}rate:${action}`], [interval, 0]))) as [
        number,
        string,
      ];
      return Number(wait);
    },
    async acquire(holder) {
      return (await send("give a job slot", () => ACQUIRE(command, [slots, limit], [concurrentJobs, leaseMs, holder]))) === 1;
    },
    async hold(holder) {
      await send("hold a job slot", () => HOLD(command, [slots], [leaseMs, holder]));
    },
    async renew(holders) {
      if (holders.length) await send("renew job slots", () => HOLD(command, [slots], [leaseMs, ...holders]));
    },
    async release(holder) {
      await send("free a job slot", () => command(["ZREM", slots, holder]));
    },
    async refused(holder) {
      return Number(await send("learn the job limit", () => REFUSED(command, [slots, limit], [concurrentJobs, learntForMs, holder])));
    },
  };
}

/** The account's turn of `action`'s rate, and when it is due on Redis's clock (ms): for tests. */
export async function paceTurn(command: RedisCommand, key: string, requestsPerSecond: number): Promise<{ wait: number; due: number }> {
  const [wait, due] = (await PACE(command, [key], [1000 / requestsPerSecond, 0])) as [number, string];
  return { wait: Number(wait), due: Number(due) };
}

/**
 * Redis did not answer a step of the account's limits: the batch takes no turn and no slot it did
 * not get (no Submit is sent without them).
 *
 * @example
 * ```ts
 * const down = (error: unknown) => error instanceof RedisLimitsError;
 * ```
 */
export class RedisLimitsError extends Error {
  override name = "RedisLimitsError";
}
