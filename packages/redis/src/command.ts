/**
 * How this package talks to Redis: one function that sends a command (its name and arguments) and
 * resolves to the reply. Any driver gives one: {@link fromIoredis}, {@link fromNodeRedis}, or your own.
 *
 * @example
 * ```ts
 * import Redis from "ioredis";
 * import { fromIoredis, type RedisCommand } from "@vclm/redis";
 *
 * const command: RedisCommand = fromIoredis(new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379"));
 * ```
 */
export type RedisCommand = (args: readonly string[]) => Promise<unknown>;

/**
 * The command function of an ioredis client (`client.call`).
 *
 * @example
 * ```ts
 * import Redis from "ioredis";
 * import { fromIoredis, redisRelayStore } from "@vclm/redis";
 *
 * const store = redisRelayStore(fromIoredis(new Redis("redis://127.0.0.1:6379")));
 * ```
 */
export const fromIoredis =
  (client: { call(command: string, ...args: string[]): Promise<unknown> }): RedisCommand =>
  ([command = "", ...args]) =>
    client.call(command, ...args);

/**
 * The command function of a node-redis client (`client.sendCommand`).
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { fromNodeRedis, redisRelayStore } from "@vclm/redis";
 *
 * const client = await createClient({ url: "redis://127.0.0.1:6379" }).connect();
 * const store = redisRelayStore(fromNodeRedis(client));
 * ```
 */
export const fromNodeRedis =
  (client: { sendCommand(args: string[]): Promise<unknown> }): RedisCommand =>
  (args) =>
    client.sendCommand([...args]);
