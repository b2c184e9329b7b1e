// The real redis-server of a test file: started before its tests, stopped after, with every
// connection the tests opened closed first.
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";
import Redis from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll } from "vitest";
import { fromIoredis, fromNodeRedis, type RedisCommand } from "../src/index.js";

/** The ioredis options the tests set. */
interface RedisOptions {
  maxRetriesPerRequest?: number;
  enableOfflineQueue?: boolean;
  retryStrategy?: () => number;
}

export function useRedisServer(): {
  readonly server: RedisServer;
  connect(options?: RedisOptions): Redis;
  command(options?: RedisOptions): RedisCommand;
  /** A command function of node-redis (the other driver), connecting on its first command. */
  nodeRedis(): RedisCommand;
} {
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  const others: { destroy(): void }[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    for (const client of others) client.destroy();
    await server?.stop();
  });
  const connect = (options: RedisOptions = {}) => {
    const client = new Redis((server as RedisServer).url, options);
    client.on("error", () => {}); // a stopped server is a test here: the calls report it
    clients.push(client);
    return client;
  };
  return {
    get server() {
      return server as RedisServer;
    },
    connect,
    command: (options) => fromIoredis(connect(options)),
    nodeRedis() {
      const client = createClient({ url: (server as RedisServer).url });
      client.on("error", () => {});
      others.push(client);
      const ready = client.connect();
      return fromNodeRedis({
        sendCommand: async (args) => {
          await ready;
          return client.sendCommand(args);
        },
      });
    },
  };
}
