/**
 * Node fleets that share one Tencent Cloud VCLM account through Redis (or Valkey, which speaks the
 * same protocol). `redisRelayStore` is the relay's store: several relay processes behind a load
 * balancer take from the same quotas, so two instances never double a user's allowance. Every
 * check-and-update is one atomic step (a Lua script) and every key has a TTL. Any driver: pass its
 * command function (`fromIoredis`, `fromNodeRedis`, or your own).
 *
 * @example
 * ```ts
 * import Redis from "ioredis";
 * import { fromIoredis, redisRelayStore } from "@vclm/redis";
 *
 * const store = redisRelayStore(fromIoredis(new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379")));
 * ```
 *
 * @packageDocumentation
 */

export { type RedisAccountLimitsOptions, RedisLimitsError, redisAccountLimits } from "./account-limits.js";
export { fromIoredis, fromNodeRedis, type RedisCommand } from "./command.js";
export { RedisJournalError, type RedisJournalOptions, redisJournal } from "./journal.js";
export { type RedisRelayStoreOptions, redisRelayStore } from "./relay-store.js";
