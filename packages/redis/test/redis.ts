// The real redis-server of a test file: started before its tests, stopped after, with every
// connection the tests opened closed first.
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";
import Redis from "ioredis";

/** The ioredis options the tests set. */
interface RedisOptions {
  maxRetriesPerRequest?: number;
  enableOfflineQueue?: boolean;
  retryStrategy?: () => number;
}

import { afterAll, beforeAll } from "vitest";
import { fromIoredis, type RedisCommand } from "../src/index.js";

export function useRedisServer(): {
  readonly server: RedisServer;
  connect(options?: RedisOptions): Redis;
  command(options?: RedisOptions): RedisCommand;
} {
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) client.disconnect();
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
  };
}
