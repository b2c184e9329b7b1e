// Found by a review (issue 24), now fixed: apps/browser/redis-store.js hides a password only when it is in the URL's userinfo.
// ioredis also takes it from the query string (redis://host:6379/?password=...: parseURL copies
// every query item into the options), so the app connects, and then prints the password on its
// start line ("Open ... (sharing quotas and sessions through Redis at <url>)") and in every
// "Redis at <url> is unreachable" log line. scrub() does not help: it uses new URL(url).password ("").
import { type RedisServer, startRedisServer } from "@vclm/tools/redis-server";
import Redis from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
// @ts-expect-error: plain JS module of the app
import { connectRedisStore, shownRedisUrl } from "../redis-store.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
  const admin = new Redis(server.url);
  await admin.call("CONFIG", "SET", "requirepass", "s3cret-pw");
  admin.disconnect();
});
afterAll(async () => server?.stop());

it("a password given as ?password= is never printed", async () => {
  const url = `redis://127.0.0.1:${server.port}/?password=s3cret-pw`;
  const lines: string[] = [];
  const redis = await connectRedisStore(url, { log: (line: string) => lines.push(line) }); // connects: ioredis used the password
  lines.push(`Open http://127.0.0.1:5173 (sharing quotas and sessions through Redis at ${redis.shownUrl})`); // server.js's start line
  await server.stop({ kill: true, keepData: true });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await redis.close();
  console.log(lines.join("\n"));
  expect(shownRedisUrl(url)).not.toContain("s3cret-pw");
  expect(lines.join("\n")).not.toContain("s3cret-pw");
});
