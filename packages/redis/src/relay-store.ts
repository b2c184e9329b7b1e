import { type RelayStore, RelayStoreError, windowOf } from "@vclm/relay";
import type { RedisCommand } from "./command.js";
import { luaScript } from "./script.js";

// Each check-and-update is one script: Redis runs a script whole, with nothing in between.
// Counters live until their window ends; claims until they expire (both as TTLs, from the
// caller's clock, so nothing grows forever), and a claim also keeps its expiry beside its value,
// so an expired one is gone at the caller's `now` whatever the server's clock says.
const TAKE = luaScript(`
local taken = tonumber(redis.call('GET', KEYS[1]) or '0')
if taken >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], taken + 1, 'PX', ARGV[2])
return 1`);
const GIVE_BACK = luaScript(`
local taken = tonumber(redis.call('GET', KEYS[1]) or '0')
if taken > 0 then redis.call('SET', KEYS[1], taken - 1, 'KEEPTTL') end
return taken`);
const CLAIM = luaScript(`
local kept = redis.call('GET', KEYS[1])
if kept and tonumber(string.match(kept, '^(%d+)|')) > tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2] .. '|' .. ARGV[1], 'PX', ARGV[4])
return 1`);

/** How far apart the relay instances' clocks may be, for what Redis keeps (see `ttl`). */
const SKEW_MARGIN_MS = 10 * 60_000;

/**
 * How {@link redisRelayStore} keeps its keys.
 *
 * @example
 * ```ts
 * const options: RedisRelayStoreOptions = { prefix: "shop-a:vclm-relay:" };
 * ```
 */
export interface RedisRelayStoreOptions {
  /** Put before every key, so several relays (or apps) share one Redis. @default "vclm:relay:" */
  readonly prefix?: string;
}

/**
 * The relay's store in Redis (or Valkey), for a relay that runs as several processes or machines:
 * every instance takes from the same quotas, sees the same replay claims and the same credential and
 * job owners. Each check-and-update is one atomic step (a Lua script); every key has a TTL. When
 * Redis does not answer, every call rejects with a `RelayStoreError` naming Redis, and the relay
 * refuses the request (fails closed): no Submit is forwarded without its quota taken.
 *
 * @example
 * ```ts
 * import Redis from "ioredis";
 * import { createRelay } from "@vclm/relay";
 * import { fromIoredis, redisRelayStore } from "@vclm/redis";
 *
 * const store = redisRelayStore(fromIoredis(new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379")));
 * const relay = createRelay({ store, authorize: async (request) => ({ id: request.headers.get("x-user") ?? "" }) });
 * ```
 */
export function redisRelayStore(command: RedisCommand, { prefix = "vclm:relay:" }: RedisRelayStoreOptions = {}): RelayStore {
  const send = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new RelayStoreError(`Redis did not ${what}: ${(error as Error)?.message ?? error}; the relay refuses until it does`, {
        cause: error,
      });
    }
  };
  // Kept past its end by a margin: each instance reads the window and the expiry on its own clock,
  // and one whose clock is behind must still find what another's clock already takes as over.
  const ttl = (until: number, now: number) => String(Math.max(1, Math.ceil(until - now)) + SKEW_MARGIN_MS);
  return {
    async take(key, limit, windowMs, now) {
      const window = windowOf(prefix + key, windowMs, now);
      return (await send("take a unit", () => TAKE(command, [window.key], [limit, ttl(window.endsAt, now)]))) === 1;
    },
    async giveBack(key, windowMs, takenAt) {
      const window = windowOf(prefix + key, windowMs, takenAt);
      await send("give a unit back", () => GIVE_BACK(command, [window.key], []));
    },
    async count(key, windowMs, now) {
      return Number((await send("count", () => command(["GET", windowOf(prefix + key, windowMs, now).key]))) ?? 0);
    },
    async claim(key, value, expiresAt, now) {
      if (expiresAt <= now) return true; // kept, and expired at once: as memoryStore does
      const kept = await send("claim", () => CLAIM(command, [prefix + key], [value, expiresAt, now, ttl(expiresAt, now)]));
      return kept === 1;
    },
    async get(key, now) {
      const kept = await send("read", () => command(["GET", prefix + key]));
      if (typeof kept !== "string") return undefined;
      const bar = kept.indexOf("|");
      return Number(kept.slice(0, bar)) > now ? kept.slice(bar + 1) : undefined;
    },
  };
}
