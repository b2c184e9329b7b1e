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
const ACQUIRE = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local max = tonumber(redis.call('GET', KEYS[2]) or ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= max then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1`);
const RENEW = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not held or tonumber(held) <= now then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 1`);
const REFUSED = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local running = math.max(1, redis.call('ZCARD', KEYS[1]) - 1)
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
  /** Each action's requests per second, across the fleet. @default 20 */
  readonly requestsPerSecond?: number;
  /** How long a slot is held without a renewal: a process that dies frees its slots after this. @default 60_000 */
  readonly leaseMs?: number;
  /** How long a learnt (lower) job limit is kept before the account's own is tried again. @default 3_600_000 */
  readonly learntForMs?: number;
  /** @default "vclm:account:" */
  readonly prefix?: string;
}

/**
 * One account's limits, shared by every process of a fleet through Redis: the request rate of each
 * action, and the concurrent job slots, held as leases. Work in progress (issue 24): `animateMany`
 * and `JobTracker` take their in-process limits today.
 *
 * @example
 * ```ts
 * import Redis from "ioredis";
 * import { fromIoredis, redisAccountLimits } from "@vclm/redis";
 *
 * const limits = redisAccountLimits(fromIoredis(new Redis()), { account: "100000000001" });
 * await new Promise((resolve) => setTimeout(resolve, await limits.pace("SubmitImageAnimateJob")));
 * const slot = await limits.acquire("photo-1");
 * ```
 */
export function redisAccountLimits(command: RedisCommand, options: RedisAccountLimitsOptions) {
  const {
    account,
    concurrentJobs = 10,
    requestsPerSecond = 20,
    leaseMs = 60_000,
    learntForMs = 3_600_000,
    prefix = "vclm:account:",
  } = options;
  const slots = `${prefix}${account}:slots`;
  const limit = `${prefix}${account}:job-limit`;
  return {
    /** Takes a turn of `action`'s rate; resolves to how long to wait (ms) before sending. */
    async pace(action: string): Promise<number> {
      return Number(await PACE(command, [`${prefix}${account}:rate:${action}`], [1000 / requestsPerSecond, 0]));
    },
    /** A job slot for `holder` (a photo's name, a JobId), if one is free: false when all are held. */
    async acquire(holder: string): Promise<boolean> {
      return (await ACQUIRE(command, [slots, limit], [concurrentJobs, leaseMs, holder])) === 1;
    },
    /** Keeps `holder`'s slot for another lease; false if it had lapsed (another may hold it now). */
    async renew(holder: string): Promise<boolean> {
      return (await RENEW(command, [slots], [leaseMs, holder])) === 1;
    },
    /** Frees `holder`'s slot (the job ended). */
    async release(holder: string): Promise<void> {
      await command(["ZREM", slots, holder]);
    },
    /** The service refused a Submit with JobNumExceed while `holder` held a slot: the limit is at most the others held. Resolves to the limit now. */
    async refused(_holder: string): Promise<number> {
      return Number(await REFUSED(command, [slots, limit], [concurrentJobs, learntForMs]));
    },
  };
}
