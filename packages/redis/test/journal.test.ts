// redisJournal against a real redis-server, as four processes of a fleet see it (each journal its
// own connection and holder): a photo's Submit is claimed by exactly one, only its holder may say
// its Submit made no job, a job is taken over only from a holder that is gone, and every key has a TTL.
import type { JournalRecord } from "@vclm/batch";
import { expect, it } from "vitest";
import { fromIoredis, RedisJournalError, redisJournal } from "../src/index.js";
import { useRedisServer } from "./redis.js";

const redis = useRedisServer();
const connect = () => redis.command({ maxRetriesPerRequest: 1 });
const fleet = (name: string, options: Parameters<typeof redisJournal>[2] = {}) =>
  Promise.all([0, 1, 2, 3].map((i) => redisJournal(connect(), name, { holder: `p${i}`, ...options })));
const intent = (key: string) => ({ type: "intent", key, name: `${key}.jpg`, at: 1 }) as JournalRecord & { type: "intent" };

it("40 claims of one photo at once by four processes: exactly one wins, and the journal has one intent", async () => {
  const journals = await fleet(crypto.randomUUID());
  const won = await Promise.all(Array.from({ length: 40 }, (_, i) => journals[i % 4]?.claim(intent("a"))));
  expect(won.filter(Boolean)).toHaveLength(10); // the winner's 10 tries: a claim sent again by its holder holds
  const winner = journals[won.indexOf(true) % 4];
  expect(won.every((ok, i) => ok === (journals[i % 4] === winner))).toBe(true);
  const records = await journals[0]?.read();
  expect(records?.filter((record) => record.type === "intent")).toHaveLength(1);
  const look = (await journals[1]?.look(["a"]))?.get("a");
  expect(look).toMatchObject({ holder: winner?.holder, alive: true });
});

it("only the Submit's holder says it made no job; then another may claim it", async () => {
  const [p0, p1] = await fleet(crypto.randomUUID());
  expect(await p0?.claim(intent("b"))).toBe(true);
  await p1?.append({ type: "not-submitted", key: "b", reason: "not mine" }); // ignored: p0's Submit may be in flight
  expect(await p1?.claim(intent("b"))).toBe(false);
  await p0?.append({ type: "not-submitted", key: "b", reason: "RequestLimitExceeded.JobNumExceed" });
  expect(await p1?.claim(intent("b"))).toBe(true);
  const types = ((await p0?.look(["b"]))?.get("b")?.records ?? []).map((record) => record.type);
  expect(types).toEqual(["intent", "not-submitted", "intent"]);
});

it("a job is taken over only when its holder is gone; an intent of a gone holder is claimed only when asked", async () => {
  const [p0, p1, p2] = await fleet(crypto.randomUUID(), { aliveMs: 60_000 });
  expect(await p0?.claim(intent("c"))).toBe(true);
  await p0?.append({ type: "submitted", key: "c", JobId: "1194931538865782784", at: 2 });
  expect(await p0?.claim(intent("d"))).toBe(true); // in flight when p0 stops
  expect(await p1?.takeOver("c")).toBe(false); // p0 is alive
  await p0?.close();
  expect((await p1?.look(["c"]))?.get("c")).toMatchObject({ holder: p0?.holder, alive: false });
  expect(await p1?.takeOver("c")).toBe(true);
  expect(await p2?.takeOver("c")).toBe(false); // p1 has it now
  expect(await p1?.claim(intent("d"))).toBe(false);
  expect(await p1?.claim(intent("d"), { over: "someone-else" })).toBe(false);
  expect(await p1?.claim(intent("d"), { over: p0?.holder })).toBe(true);
});

it("a process cut off from Redis is gone after aliveMs: its job is taken over", async () => {
  const name = crypto.randomUUID();
  const client = redis.connect({ maxRetriesPerRequest: 0, enableOfflineQueue: false });
  await new Promise((resolve) => client.once("ready", resolve));
  const p0 = await redisJournal(fromIoredis(client), name, { holder: "cut-off", aliveMs: 300 });
  const [p1] = await fleet(name, { aliveMs: 300 });
  expect(await p0.claim(intent("e"))).toBe(true);
  await p0.append({ type: "submitted", key: "e", JobId: "1194931538865782785", at: 2 });
  expect(await p1?.takeOver("e")).toBe(false);
  client.disconnect(); // its heartbeat no longer reaches Redis
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await p1?.takeOver("e")).toBe(true);
});

it("two processes given one name are two holders: the second cannot claim what the first holds", async () => {
  const name = crypto.randomUUID();
  const [a, b] = await Promise.all([
    redisJournal(connect(), name, { holder: "web-1" }),
    redisJournal(connect(), name, { holder: "web-1" }),
  ]);
  expect(a.holder).not.toBe(b.holder);
  expect(a.holder).toMatch(/^web-1-/);
  const won = await Promise.all([a.claim(intent("same")), b.claim(intent("same"))]);
  expect(won.filter(Boolean)).toHaveLength(1);
});

it("over node-redis too: one claim wins, the look shows its holder, a gone holder's job is taken over", async () => {
  const name = crypto.randomUUID();
  const [a, b] = await Promise.all([redisJournal(redis.nodeRedis(), name), redisJournal(redis.nodeRedis(), name)]);
  const won = await Promise.all([a.claim(intent("n")), b.claim(intent("n"))]);
  expect(won.filter(Boolean)).toHaveLength(1);
  const [winner, other] = won[0] ? [a, b] : [b, a];
  await winner.append({ type: "submitted", key: "n", JobId: "1194931538865782786", at: 2 });
  expect((await other.look(["n"])).get("n")).toMatchObject({ holder: winner.holder, alive: true });
  expect(await other.takeOver("n")).toBe(false);
  await winner.close();
  expect(await other.takeOver("n")).toBe(true);
  await other.close();
});

it("every key has a TTL, renewed by each write", async () => {
  const name = crypto.randomUUID();
  const [p0] = await fleet(name, { ttlMs: 5_000 });
  await p0?.claim(intent("f"));
  const command = connect();
  const keys = (await command(["KEYS", `vclm:journal:{${name}}:*`])) as string[];
  expect(keys.length).toBe(6); // the log, the photos' state, 4 heartbeats
  for (const key of keys) {
    const ttl = Number(await command(["PTTL", key]));
    expect(ttl, key).toBeGreaterThan(0);
    expect(ttl, key).toBeLessThanOrEqual(15_000);
  }
});

it("Redis gone: a claim rejects with a RedisJournalError naming Redis, and what was written is there when it is back", async () => {
  const [p0] = await fleet(crypto.randomUUID());
  expect(await p0?.claim(intent("g"))).toBe(true);
  await redis.server.stop({ kill: true, keepData: true });
  const error = await p0?.claim(intent("h")).catch((reason: unknown) => reason);
  expect(error).toBeInstanceOf(RedisJournalError);
  expect(String((error as Error).message)).toMatch(/^Redis did not record the intent to submit h.jpg \(shared journal "[\w-]+"\): /);
  await redis.server.restart();
  const types = (await p0?.read())?.map((record) => `${record.type} ${record.key}`);
  expect(types).toContain("intent g");
  expect(await p0?.claim(intent("g"))).toBe(true); // its own claim, sent again
}, 30_000);
