// redisRelayStore against a real redis-server: the checks every relay store passes (memoryStore and
// the Durable Object pass the same in tests/runtimes), through two drivers' command functions; then
// what a fleet needs: three relay instances share one quota, and Redis going away fails closed.
import { memoryStore, type RelayStore, RelayStoreError } from "@vclm/relay";
import { relayStoreChecks } from "@vclm/tools/relay-store-checks";
import { describe, expect, it } from "vitest";
import { fromIoredis, redisRelayStore } from "../src/index.js";
import { useRedisServer } from "./redis.js";

const DAY = 86_400_000;
const redis = useRedisServer();
// A command waits for the connection (the offline queue), and fails after one reconnection attempt.
const connect = () => redis.connect({ maxRetriesPerRequest: 1, retryStrategy: () => 200 });
describe.each([
  ["memoryStore (the reference)", () => memoryStore()],
  ["redisRelayStore over ioredis", () => redisRelayStore(fromIoredis(connect()))],
  ["redisRelayStore over node-redis", () => redisRelayStore(redis.nodeRedis())],
])("%s", (_, make: () => RelayStore) => {
  relayStoreChecks(make, { it, expect });
});

describe("redisRelayStore in a fleet", () => {
  it("three instances, each with its own connection, share one allowance: 150 takes, 20 taken", async () => {
    const stores = [0, 1, 2].map(() => redisRelayStore(fromIoredis(connect())));
    const key = `fleet-${crypto.randomUUID()}`;
    const taken = await Promise.all(Array.from({ length: 150 }, (_, i) => stores[i % 3]?.take(key, 20, DAY, Date.now())));
    expect(taken.filter(Boolean)).toHaveLength(20);
  });

  it("every key has a TTL: a window's counter ends with its window, a claim with its expiry (each kept 10 minutes more, for instances whose clocks are behind)", async () => {
    const client = connect();
    const store = redisRelayStore(fromIoredis(client), { prefix: "ttl-test:" });
    const now = Date.now();
    await store.take("q", 5, 60_000, now);
    await store.claim("c", "v", now + 30_000, now);
    const keys = await client.keys("ttl-test:*");
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      const ttl = await client.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeGreaterThan(10 * 60_000);
      expect(ttl, key).toBeLessThanOrEqual(10 * 60_000 + 60_000);
    }
  });

  it("a script the server forgot (a restart, a failover) is loaded again", async () => {
    const client = connect();
    const store = redisRelayStore(fromIoredis(client));
    const key = `flush-${crypto.randomUUID()}`;
    expect(await store.take(key, 2, DAY, Date.now())).toBe(true);
    await client.script("FLUSH");
    expect(await store.take(key, 2, DAY, Date.now())).toBe(true);
    expect(await store.take(key, 2, DAY, Date.now())).toBe(false);
  });

  it("Redis gone: every call rejects with a RelayStoreError naming Redis (fail closed), and the quota is intact when it is back", async () => {
    const client = connect();
    const store = redisRelayStore(fromIoredis(client));
    const key = `down-${crypto.randomUUID()}`;
    expect(await store.take(key, 3, DAY, Date.now())).toBe(true);
    await redis.server.stop({ kill: true, keepData: true });
    const refused = await store.take(key, 3, DAY, Date.now()).catch((e) => e);
    expect(refused).toBeInstanceOf(RelayStoreError);
    expect(refused.message).toMatch(/^Redis did not take a unit: .*the relay refuses until it does/);
    await redis.server.restart(); // the AOF (fsync always) kept the unit taken
    await new Promise((resolve) => setTimeout(resolve, 500)); // ioredis reconnects
    expect(await store.count(key, DAY, Date.now())).toBe(1);
  }, 30_000);
});
